from alliance import create_app

app = create_app()
