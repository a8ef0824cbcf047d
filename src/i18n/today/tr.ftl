## today (tr)
