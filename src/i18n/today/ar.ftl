## today (ar)
