## advice (de)
