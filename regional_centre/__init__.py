"""Regional Centre: partnerships with industry and SME training for the Basel Convention Regional Centres."""

__version__ = "0.1.0"
APP_NAME = "Regional Centre"
