"""Documents built from service queries: spreadsheets now, PDF reports later."""
