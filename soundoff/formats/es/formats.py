"""Spanish: "13 de julio de 2011" and "17:58".

Spanish-language newspapers, in Spain and the Americas alike, print the day
first, the month in lower case, and a 24-hour clock ("17:58"); "p. m." after
a 12-hour time reads as a form, not as a dateline.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
