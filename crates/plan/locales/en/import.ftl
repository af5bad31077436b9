## import
