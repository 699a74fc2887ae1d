from alliance import create_app, freeze_long_lived_objects

app = create_app()
freeze_long_lived_objects(app)  # a server process: see the function
