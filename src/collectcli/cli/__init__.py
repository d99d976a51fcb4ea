"""The command line: Typer commands over the engine and the store. Rich lives only here."""
