"""Write eval_set.jsonl: labelled comments for measuring the scorers.

Every template below was written for Soundoff, in the voice of a local news
site's comment section (the town is the fictional Riverton); none is taken
from a data set. Templates are filled from small slot lists with a fixed
seed, so the file is reproducible:

    .venv/bin/python bench/scoring/make_eval_set.py

Labels follow the Rules of Conduct as a moderator would apply them: sharp
criticism of officials and their decisions is allowed, and so is a mild
swear word that is aimed at nobody; insults, harassment and threats against
people are toxic. Spam is promotion or bait unrelated to the discussion.
Each line is {"text", "toxic", "spam", "category", "template"}: "category"
says which template list it came from, so misses can be read by kind, and
"template" which template, so that a model trained on part of the set can be
tested on templates it has never seen.
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

SEED = 20260501
OUT = Path(__file__).with_name("eval_set.jsonl")

SLOTS: dict[str, list[str]] = {
    "official": [
        "the mayor",
        "Mayor Delgado",
        "Councilmember Pruitt",
        "the county executive",
        "Superintendent Haines",
        "the school board",
        "the planning commission",
        "Commissioner Okafor",
        "the police chief",
        "the city manager",
        "State Senator Whitfield",
        "the transit authority",
        "the zoning board",
        "Sheriff Mbeki",
        "the water utility",
    ],
    "topic": [
        "the bridge repair",
        "the new bike lanes",
        "the library budget",
        "the stadium deal",
        "the bus route cuts",
        "the school redistricting plan",
        "the parking meter increase",
        "the riverfront development",
        "the property tax hike",
        "the road diet on Main Street",
        "the landfill expansion",
        "the snow removal contract",
        "the police overtime budget",
        "the rezoning on Elm Avenue",
        "the water rate increase",
    ],
    "place": [
        "Main Street",
        "the east side",
        "Riverside",
        "Oak Hill",
        "downtown",
        "Northgate",
        "Cedar Park",
        "the old mill district",
        "Maple Avenue",
        "the fairgrounds",
    ],
    "name": [
        "Dave",
        "Karen",
        "Marcus",
        "Linda",
        "Tom",
        "Priya",
        "Gus",
        "Rita",
        "Jeff",
        "Sandra",
        "Hector",
        "Mo",
        "Bev",
        "RivertonDad",
        "oakhill_mom",
        "TaxpayerTim",
    ],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "business": [
        "the hardware store on Main",
        "Rosie's diner",
        "the old bakery",
        "the bookshop by the river",
        "the pharmacy on Maple",
        "the family garage on Route 9",
    ],
    "amount": ["$250", "$300", "$450", "$500", "$780", "$1,200", "$2,000", "$5,000"],
    "coin": ["Bitcoin", "BTC", "Ethereum", "Solana", "Dogecoin", "crypto", "USDT"],
    "domain": [
        "best-seo-deals.biz",
        "quickcash-jobs.net",
        "top10reviews-hub.info",
        "cheapmeds-online.shop",
        "crypto-profit-now.io",
        "luxury-replicas.store",
        "fastloans4u.click",
        "hot-local-dates.site",
        "essay-writers-pro.org",
        "win-big-casino.bet",
    ],
    "product": [
        "designer sunglasses",
        "sneakers",
        "handbags",
        "watches",
        "weight loss gummies",
        "CBD oil",
        "phone cases",
        "vitamins",
    ],
    "insult": [
        "idiot",
        "moron",
        "clown",
        "fool",
        "loser",
        "imbecile",
        "halfwit",
        "dimwit",
        "dope",
        "nitwit",
    ],
}

# Opinions and news chatter with no personal attack and no promotion.
NEUTRAL = [
    "Does anyone know if {place} will be closed for the parade on {day}?",
    "Thanks for covering this. I had no idea {topic} was on the agenda.",
    "The council meeting about {topic} starts at 7 on {day}, for anyone who wants to go.",
    "My kids walk past {place} every morning, so glad someone is finally looking at it.",
    "Good reporting. It would help to see the actual numbers for {topic} in a chart.",
    "I drove through {place} this morning and the crews were already out.",
    "Is there a link to the full report? I'd like to read the section on {topic}.",
    "We lost power on {place} for about two hours last night, back on now.",
    "Congratulations to the Riverton High robotics team, well deserved!",
    "Happy to see {business} reopen after the flood. Stopped in {day} and it looked great.",
    "Anyone know what time the farmers market opens now that it moved to {place}?",
    (
        "My grandfather worked at the mill for thirty years. Nice to see the "
        "old photos in this story."
    ),
    "Small correction: the meeting is in the council chambers, not the library.",
    "The detour signs near {place} are confusing, took me three tries to find the on-ramp.",
    "Will the story be updated after {official} speaks on {day}?",
    "I've lived in {place} for 22 years and never seen the river this high.",
    "Thank you to the volunteers who cleaned up {place} after the storm.",
    "Interesting piece. I'd never heard the history of the old rail depot.",
    "Does {topic} affect renters too, or only homeowners?",
    "Reminder that the library has free tax help on {day} afternoons.",
    "Hell of a storm last night. Our whole street lost a tree or two.",
    "Love the photo of the fireworks over the river.",
    "Went to the open house on {topic}. Staff were patient and answered every question.",
    "Just a heads up, the crosswalk light at {place} is out again.",
    "Glad to see local news still covering council meetings. Keep it up.",
    "My damn basement flooded again. Does the city do anything about the storm drains on {place}?",
    "Where can I find the schedule for the public hearings on {topic}?",
    "First time commenting. Great to have a place to talk about {place}.",
    "The article says 2019 but I think the vote was in 2018.",
    "Rest in peace, Mr. Alvarez. He coached half the kids in {place}.",
    "The full agenda for {day} is on the city's site: https://www.riverton.gov/council/agenda",
    (
        "The county posted the new flood maps at "
        "https://maps.riverton-county.gov if you live near {place}."
    ),
    (
        "Video of the hearing on {topic} is up at "
        "www.rivertonlibrary.org/events for anyone who missed it."
    ),
    "My water bill went from $48 to $71 this quarter. Anyone else?",
    "The school fundraiser raised $4,300 for the music program. Thank you, {place}!",
    "Bought a raffle ticket at {business} for the food bank, only $5 and it's a great cause.",
]

# Disagreement with other commenters or the paper, made politely.
DISAGREE = [
    "I see your point, {name}, but I think {topic} will cost more than it saves.",
    "Respectfully, I disagree. {topic} has been studied for years and the numbers hold up.",
    "@{name} I hear you, but the people in {place} asked for this at three meetings.",
    (
        "I don't think that's quite right. The budget for {topic} comes from "
        "the state, not local taxes."
    ),
    "We may just disagree here, {name}. I'd rather see the money go to schools.",
    "Fair point about the traffic, but I still support {topic} overall.",
    "I was against {topic} at first, but the article changed my mind.",
    "Not sure I agree with the editorial. {official} had few good options.",
    "{name}, where did you see that figure? The report I read says something different.",
    "I'd gently push back on that. Plenty of people in {place} rely on the bus.",
    "Good discussion here. I land on the other side, but I appreciate the civil tone.",
    "Reasonable people can disagree on {topic}. My worry is the maintenance costs later.",
    "I think you're underestimating how many families this affects, {name}.",
    "With respect, the paper left out the residents who support {topic}.",
    "I understand the frustration, but blaming {official} for the weather seems unfair.",
    "That's one way to read it. I read the same numbers and came to the opposite conclusion.",
    "I'm not convinced. Other towns tried something like {topic} and dropped it.",
    "@{name} we agree on the problem, just not the fix.",
    "I'd like to see both sides at the next meeting before anyone decides on {topic}.",
    "You make a good case, {name}, though I still think it should go to a public vote.",
]

# Sharp criticism of officials or decisions: allowed under the Rules of Conduct.
CRITICISM = [
    "{official} has handled {topic} badly from day one. Time for new leadership.",
    "This is a disaster. {official} promised transparency and delivered none.",
    "{topic} will kill what's left of the small shops on {place}.",
    "Another year, another broken promise from {official}. Vote them out in November.",
    "The stupidest part of {topic} is the timing, right before winter.",
    "{official} should resign over the way {topic} was rushed through.",
    "Incompetent planning, plain and simple. Nobody at city hall read the traffic study.",
    "I'm furious. My taxes went up again and {place} still looks like a war zone.",
    "Shameful that {official} skipped the public hearing on {topic}.",
    "{official} is wasting our money on {topic} while potholes swallow cars on {place}.",
    "What a joke of a process. Three weeks' notice for a decision this big?",
    "This council has no spine. They caved on {topic} the minute developers complained.",
    "{official}'s excuses about {topic} are pathetic. Own the mistake.",
    "Worst budget decision I've seen in 20 years of living here.",
    "The way {official} attacked the reporters at that meeting was disgraceful.",
    "Absolutely tone deaf. Families in {place} can't afford {topic}.",
    "Fire the consultants. We paid six figures for a plan a kid could have drawn.",
    "{official} owes the people of {place} an apology and a real answer.",
    "I'm done voting for {official}. The handling of {topic} was the last straw.",
    "Stop blaming the weather. {official} ignored the warnings about {place} for years.",
    "They spent $2.3 million on consultants for {topic} and we still have no plan. Ridiculous.",
    "Read the audit yourself at www.riverton.gov/audit and tell me {official} did a good job.",
]

# Personal insults aimed at another reader or a group of readers.
INSULT = [
    "You're a complete {insult}, {name}. Nobody cares what you think.",
    "Only a brain-dead {insult} would believe that garbage.",
    "Shut up, {name}. You're too stupid to understand basic math.",
    "@{name} go back to your mom's basement, you pathetic {insult}.",
    "What a moron. Do you even read the articles before spouting off?",
    "{name} is the dumbest person in this comment section, and that's saying a lot.",
    "People like you are why this town is a dump. Ignorant {insult}.",
    "You're too stupid to breathe, let alone vote.",
    "Every comment you post proves you're a worthless {insult}.",
    "Wow, {name}, you really are as dumb as you look in your profile picture.",
    "Stop typing, {insult}. You embarrass yourself every time.",
    "The idiots in this thread are why we can't have nice things. Morons, all of you.",
    "You ugly, ignorant {insult}. Get a life.",
    "Anyone who supports {topic} is a drooling {insult}.",
    "{name}, you are a disgusting excuse for a human being.",
    "Nobody asked, {insult}. Crawl back under your rock.",
    "Lol what a pathetic loser you are, {name}.",
    "Your brain must be the size of a pea, {name}. Stupid and proud of it.",
]

# Profanity aimed at people (readers or officials): toxic.
ABUSE = [
    "Screw you, {name}, and your stupid opinions.",
    "{official} is a lying sack of crap and everyone knows it.",
    "Go to hell, {name}. Seriously.",
    "Shut your damn mouth, you {insult}.",
    "{official} can kiss my ass. Useless bastards, every one of them.",
    "What a bunch of dumbass clowns running this city.",
    "F*** off, {name}, nobody wants you here.",
    "{name} you are full of shit and you know it.",
    "Go screw yourself, {insult}.",
    "Piss off with your whining, {name}, you miserable jerk.",
    "fuck you {name} and fuck your stupid bike lanes",
    "{official} is a corrupt piece of shit.",
]

# Harassment: following, exposing or hounding a person.
HARASSMENT = [
    "I found your Facebook, {name}. Your boss is going to see every comment you've made.",
    "Everyone go look at {name}'s other posts and tell them what a loser they are.",
    "You again, {name}? Nobody wants you here. Log off and never come back.",
    "I'm going to reply to every single comment you make until you quit this site, {name}.",
    "Hey {name}, I know which house on {place} is yours. Nice blue car.",
    "Guys, {name}'s real name is on the school board minutes. Let's make them famous.",
    "Keep posting, {name}. I'm screenshotting all of it for your neighbors.",
    "{name} is a creep who hangs around {place} at night. Somebody should post their photo.",
    "Pathetic {name} crying in the comments again. Go cry somewhere else, {insult}.",
    "I'll make sure everyone at your church knows what a {insult} you are, {name}.",
    "Hey everyone, {name} lives alone on {place}. Maybe pay them a visit.",
    "Saw you at the grocery store yesterday, {name}. You looked scared. Good.",
]

# Threats of violence, direct or thinly veiled.
THREAT = [
    "Keep talking, {name}, and see what happens when I find you.",
    "People like you deserve a beating. Watch your back.",
    "I know where you park, {name}. Watch yourself.",
    "Somebody should burn down {official}'s house with them in it.",
    "If {topic} passes I'm showing up to the meeting armed. Consider yourselves warned.",
    "I'm going to find you and make you regret every word, {name}.",
    "You'd better hope we never meet in person, {insult}.",
    "{official} should be dragged out of city hall and strung up.",
    "One more comment like that and I'll come to {place} and break your legs.",
    "I hope someone runs you over on {place}, {name}.",
    "Say that to my face and you'll be eating through a straw.",
    "Someone needs to put a bullet in {official}. I'd do it myself.",
    "Your family isn't safe on {place}, {name}. Remember that.",
    "I will hurt you, {name}. That's a promise.",
]

# Promotion and bait, the kinds that reach a news site's comments.
SPAM_SEO = [
    "Great article! For the best SEO services in town visit https://www.{domain} today.",
    "Need backlinks? We offer 5000 high quality links for only $9.99 at {domain}",
    "Nice post. Check my site for more info: http://{domain}/blog/riverton-news",
    "Looking for the top 10 roofers near {place}? Reviews at www.{domain}",
    "Very informative, thanks for sharing. Also see https://{domain} for cheap web hosting.",
    "Rank #1 on Google in 7 days GUARANTEED!!! Contact us at {domain}",
    "I found this very helpful. Visit {domain} for more articles like this!!",
]

SPAM_CRYPTO = [
    (
        "I turned {amount} into $40,000 with {coin} in two weeks. Message "
        "@crypto_mentor_jane on Telegram."
    ),
    "Stop losing money in the bank! {coin} trading bot pays {amount} a day. Join at {domain}",
    (
        "Thanks to Mrs. Olivia's trading signals I made {amount} profit with "
        "{coin} this week. WhatsApp +1 555 0134"
    ),
    "FREE {coin} AIRDROP! Connect your wallet at https://{domain} before it ends!!!",
    "My {coin} investment grew 400% in a month. Ask me how, link in bio.",
    "Don't miss the next 100x {coin} gem. Presale live now at {domain}",
    "I was skeptical but this {coin} platform really pays. Withdrew {amount} yesterday. {domain}",
]

SPAM_WORK = [
    "I make {amount} a day working from home on my laptop. Start today: www.{domain}",
    "Work from home and earn {amount} weekly!! No experience needed. Apply at {domain}",
    (
        "My neighbor makes {amount} a month online and she is a stay at home "
        "mom. Check it out: {domain}"
    ),
    "EARN MONEY FROM HOME!!! Just 2 hours a day. Visit {domain} now!!!",
    "I quit my job last month and now earn {amount} per week from home. Details at www.{domain}",
    (
        "Google is paying {amount} per hour for online work. I started on "
        "{day}. Copy this site: {domain}"
    ),
    "Hiring now! Simple data entry from home, {amount} per week, apply at https://{domain}",
]

SPAM_PROMO = [
    "FLASH SALE!!! 70% off {product} today only at www.{domain} !!! FLASH SALE!!!",
    "Buy cheap {product} online, free shipping worldwide, best price guaranteed. {domain}",
    "Best {product} deals in the USA!!! Order now at {domain} limited stock!!!",
    "{product} {product} {product} cheapest prices at {domain} buy now",
    "Buy Viagra and Cialis online without prescription, fast discreet delivery: {domain}",
    "Hot singles in {place} want to meet you tonight! Click here: {domain}",
    "Need a loan fast? Bad credit OK, {amount} approved in 5 minutes at {domain}",
    "Professional essay writing, 100% plagiarism free, order at https://{domain}",
    "Play online casino and win {amount} instantly!!! Bonus code RIVER at {domain}",
    "Interesting news. By the way, we sell {product} at wholesale prices, see {domain}",
    "Check out my profile for private photos ;) {domain}",
]

# (category, templates, quota, toxic, spam). Quotas give 600 lines: 30% toxic,
# 20% spam, half clean; the clean half is weighted towards the hard cases.
PLAN = [
    ("neutral", NEUTRAL, 120, False, False),
    ("disagreement", DISAGREE, 90, False, False),
    ("criticism", CRITICISM, 90, False, False),
    ("insult", INSULT, 60, True, False),
    ("abuse", ABUSE, 36, True, False),
    ("harassment", HARASSMENT, 40, True, False),
    ("threat", THREAT, 44, True, False),
    ("spam_seo", SPAM_SEO, 28, False, True),
    ("spam_crypto", SPAM_CRYPTO, 28, False, True),
    ("spam_work", SPAM_WORK, 28, False, True),
    ("spam_promo", SPAM_PROMO, 36, False, True),
]

# Light surface variation, as real comments vary.
OPENERS = ["", "", "", "", "Honestly, ", "Wow. ", "Ugh. ", "So ", "Well, ", "Look, "]
CLOSERS = ["", "", "", "", "", "!", "!!", " Just saying.", " Unbelievable.", " Thoughts?"]


def fill(template: str, rng: random.Random) -> str:
    # In order of appearance, not a set: set order changes with the hash seed,
    # and the file must come out the same on every run.
    fields = dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    return template.format(**{name: rng.choice(SLOTS[name]) for name in fields})


def vary(text: str, rng: random.Random, *, spam: bool) -> str:
    if spam:
        # Spam keeps its own shape; only its case varies now and then.
        return text.upper() if rng.random() < 0.1 else text
    opener, closer = rng.choice(OPENERS), rng.choice(CLOSERS)
    if opener.endswith(", ") and text[:1].isupper() and not text.startswith(("I ", "I'")):
        text = text[0].lower() + text[1:]
    if closer and text[-1:] in ".!?":
        text = text[:-1] + ("." if closer.startswith(" ") else "")
    text = opener + text + closer
    if rng.random() < 0.08:
        text = text.lower()
    return text


def generate() -> list[dict[str, object]]:
    rng = random.Random(SEED)  # noqa: S311 - a reproducible test set, not a secret
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    for category, templates, quota, toxic, spam in PLAN:
        made = 0
        attempts = 0
        while made < quota:
            attempts += 1
            if attempts > quota * 50:
                raise RuntimeError(f"{category}: too few distinct fillings for {quota} lines")
            # Cycle through the templates so that none dominates its category.
            index = made % len(templates) if attempts <= quota else rng.randrange(len(templates))
            text = vary(fill(templates[index], rng), rng, spam=spam)
            if text in seen:
                continue
            seen.add(text)
            rows.append(
                {
                    "text": text,
                    "toxic": toxic,
                    "spam": spam,
                    "category": category,
                    "template": f"{category}/{index}",
                }
            )
            made += 1
    rng.shuffle(rows)
    return rows


def main() -> None:
    rows = generate()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    toxic = sum(bool(r["toxic"]) for r in rows)
    spam = sum(bool(r["spam"]) for r in rows)
    print(f"wrote {len(rows)} comments to {OUT} ({toxic} toxic, {spam} spam)")


if __name__ == "__main__":
    main()
