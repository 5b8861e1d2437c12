"""Files to hand on: tables with metadata, images with title, source and Stand, the press pack, the Kreis PDF."""
