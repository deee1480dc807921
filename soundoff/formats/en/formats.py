"""English: "July 13th, 2011" and "05:58 PM", as American newsrooms print them.

These are also how the admin shows dates and times in English.
"""

DATE_FORMAT = r"F jS, Y"
TIME_FORMAT = "h:i A"
