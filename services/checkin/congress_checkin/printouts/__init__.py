"""PDF layouts of the check-in service (run in the PDF worker process): plain data in, PDF bytes out."""
