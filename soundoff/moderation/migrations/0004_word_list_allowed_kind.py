"""The allowed-phrases list, and a starting set of all three lists.

The starting lists are written for this project: banned holds slurs (cited
under Rule 3, No hate speech), suspect holds insults aimed at people, and
allowed holds the everyday phrases that contain one of them ("a chink in the
armor", "the tranny went", "retard the growth"). Each list is installed only
where the site has none yet, so an operator's own lists survive the upgrade;
after that they are edited at /moderate/words/ like any list.
"""

from django.db import migrations, models

HATE_SPEECH_RULE = 3

BANNED = """
beaner
chink
coon
darkie
fag
faggot
gook
jigaboo
kike
nigga
niggaz
nigger
paki
porch monkey
raghead
retard
retarded
shemale
spic
towelhead
tranny
wetback
zipperhead
"""

SUSPECT = """
arsehole
asshole
bastard
bitch
cretin
cunt
dickhead
dimwit
dipshit
douchebag
dumbass
go to hell
halfwit
idiot
imbecile
jackass
kill yourself
kys
moron
nitwit
numbskull
piece of shit
sack of shit
scum
scumbag
shut up
skank
slut
twat
wanker
whore
"""

ALLOWED = """
automatic tranny
chink in her armor
chink in her armour
chink in his armor
chink in his armour
chink in the armor
chink in the armour
chink in their armor
chink in their armour
chink of coins
chink of glasses
chink of light
chinks in the armor
chinks in the armour
chinks of light
coon cat
coon dog
coon hound
coon hunting
fag break
fag end
fag packet
maine coon
manual tranny
packet of fags
pond scum
rebuilt tranny
retard the development
retard the growth
retard the progress
retard the progression
retard the spread
retard the timing
retard growth
retard progress
retarded growth
shut up shop
spic and span
tranny cooler
tranny fluid
tranny is slipping
tranny shop
tranny went
"""

DEFAULTS = {
    "banned": (BANNED, HATE_SPEECH_RULE),
    "suspect": (SUSPECT, None),
    "allowed": (ALLOWED, None),
}


def install_defaults(apps, schema_editor):
    WordList = apps.get_model("moderation", "WordList")
    for kind, (words, rule_number) in DEFAULTS.items():
        WordList.objects.get_or_create(
            kind=kind, defaults={"words": words.strip(), "rule_number": rule_number}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_comment_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="wordlist",
            name="kind",
            field=models.CharField(
                choices=[
                    ("banned", "Banned words (comments are refused)"),
                    ("suspect", "Suspect words (comments are flagged for review)"),
                    ("allowed", "Allowed phrases (a listed word inside one does not count)"),
                ],
                max_length=16,
                unique=True,
            ),
        ),
        # Reversing keeps the lists: they may hold the operator's edits by then.
        migrations.RunPython(install_defaults, migrations.RunPython.noop),
    ]
