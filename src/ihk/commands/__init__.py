"""One module per command: plain values in, data out. Nothing here prints."""
