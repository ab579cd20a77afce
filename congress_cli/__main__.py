from congress_cli.cli import app

app()
