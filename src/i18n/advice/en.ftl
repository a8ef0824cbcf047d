## advice (en)
