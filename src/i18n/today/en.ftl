## today (en)
