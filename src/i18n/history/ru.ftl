## history (ru)
