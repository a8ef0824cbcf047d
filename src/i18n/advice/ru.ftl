## advice (ru)
