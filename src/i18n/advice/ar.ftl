## advice (ar)
