// placeholder; removed when support sources land
