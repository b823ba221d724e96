"""Root conftest: nothing here needs the app, so unit tests stay fast and independent."""
