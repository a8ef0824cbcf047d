## advice (tr)
