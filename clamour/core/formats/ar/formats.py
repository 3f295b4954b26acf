# Numbers on Arabic pages: Western digits (README, "Languages"), grouped in threes with
# a comma and a point before decimals, as CLDR writes Arabic with Western digits
# ("ar-u-nu-latn", what browsers show). Django's own Arabic formats do not group at all
# and swap the two marks. Everything else (dates, month names) is Django's.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
