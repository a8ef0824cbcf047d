## history (en)
