"""One router per area of the web app; routes call services only."""
