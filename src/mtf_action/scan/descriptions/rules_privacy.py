"""CD-03 rules about data collection a description admits beyond the tool's purpose.

The corpus category "undisclosed data collection": personal data kept, shared
or used for something other than the stated function (analytics, marketing,
advertising, model training, partners), collection without consent, and users
enrolled in marketing. A privacy statement that denies it ("we never share
... with third parties") is not a finding.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import window
from mtf_action.scan.descriptions.rules import (
    Rule,
    not_negated,
    not_negated_at_all,
    rule,
    with_anchors,
)

D = Category.DATA_COLLECTION
_PERSONAL = (
    r"(?:e-?mail\s+address(?:es)?|phone\s+numbers?|contacts?|contact\s+lists?|address\s+books?"
    r"|location(?:\s+history)?|gps|ip\s+address(?:es)?|device\s+(?:ids?|identifiers?)"
    r"|browsing\s+history|search\s+history|keystrokes?|clipboard(?:\s+contents?)?|biometric\w*"
    r"|health\s+data|personal\s+(?:data|information|details)|pii|queries|search\s+terms"
    r"|conversations?|prompts|inputs?|names|account\s+numbers|words\s+and\s+phrases|ips?|interests"
    r"|gps\s+coordinates|precise\s+location|microphone|audio|camera|webcam|screen\s*shots?|photos?"
    r"|call\s+logs?|sms|text\s+messages|file\s+paths|usernames?|full\s+names?|home\s+address(?:es)?"
    r"|date\s+of\s+birth|purchase\s+(?:history|details|data|records)|receipts?|viewing\s+history|address\s+book"
    r"|recordings?|documents|uploads|(?:journal\s+|diary\s+)?entries"
    r"|(?:chat|conversation|message|document|e-?mail|file)s?\s+(?:content|contents|text|history|bodies)"
    r"|everything\s+(?:you|the\s+user)\s+(?:types?|writes?|says?|enters?)|typed\s+text"
    # CD-03 undisclosed collection: what a screen, a health or a map tool sees.
    r"|screen\s+contents?|health\s+(?:conditions?|information|records?)|medical\s+(?:conditions?|history|records?)"
    r"|allergies|locations)"
)
# Data a tool has no reason to take as a side effect of something else.
_PRIVATE = (
    r"(?:location(?!\s+(?:preference|setting|id|name|code|field|parameter))|contacts|contact\s+lists?"
    r"|address\s+books?|browsing\s+history|search\s+history|keystrokes?|key\s*presses|clipboard"
    r"|microphone|camera|webcam|screen|photos|call\s+logs?|text\s+messages|sms|gps(?:\s+coordinates)?"
    r"|precise\s+location|device\s+(?:ids?|identifiers?)|ip\s+address(?:es)?|e-?mail\s+address(?:es)?"
    r"|phone\s+numbers?|biometric\w*|health\s+data|file\s+paths|usernames?|hostnames?|file\s+contents"
    r"|prompts|conversations?|chat\s+history|everything\s+(?:you|the\s+user)\s+(?:types?|writes?|says?|enters?)"
    r"|(?:what|whatever)\s+(?:you|the\s+user)\s+types?|typed\s+text"
    r"|(?:urls?|pages?|sites?|websites?)\s+(?:that\s+)?(?:you|the\s+user)\s+(?:visits?|opens?|browses?|views?))"
)
_COLLECT = (
    r"(?:records?|collects?|logs?|stores?|captures?|tracks?|harvests?|saves?|keeps?|uploads?|reads?|notes|registers"
    r"|gathers?|monitors?|accesses|scans?|copies|retains?)"
)
_COLLECTED = (
    r"(?:recorded|collected|logged|stored|captured|tracked|harvested|saved|kept|uploaded|gathered"
    r"|monitored|scanned|copied|retained|archived|persisted)"
)
_W = r"(?:[\w'’-]+\s+)"  # a word, "user's" included
_KEPT = (
    r"(?:collected|logged|recorded|stored|tracked|retained|maintained|kept|captured|harvested"
    r"|shared|sold|sent|uploaded|used|analy[sz]ed|aggregated|mined|exported|transferred|transmitted|licen[sc]ed"
    r"|disclosed|streamed)"
)
_PURPOSE = (
    r"(?:for|to|with|by)\s+(?:\w+\s+){0,2}?(?:analytics|marketing|advertis\w*|ad\s+targeting|profiling"
    r"|monetiz\w*|resale|model\s+training|train\w*|research|third[\s-]+part\w*|partners|data\s+brokers"
    r"|sale|optimi[sz]ation|improve\s+(?:our\s+|the\s+)?(?:\w+\s+)?(?:models?|ai|algorithms?)"
    r"|(?:build|create|enrich)\s+(?:a\s+|our\s+)?(?:social\s+graph|(?:user\s+|customer\s+|consumer\s+|shopper\s+"
    r"|marketing\s+|advertising\s+)?profiles?|dossiers?)|target\w*\s+(?:ads|advertising|advertisements|marketing)"
    r"|(?:our\s+)?lead\s+(?:database|lists?|generation)|targeted\s+(?:ads|advertising|marketing)"
    r"|personali[sz]\w*|quality\s+purposes|human\s+(?:review\w*|contractors|annotators)"
    r"|commercial\s+(?:use|purposes|exploitation|gain)"
    r"|(?:\w+\s+){0,2}?(?:to|for|with)\s+other\s+(?:customers|users|clients|members|people))\b"
)
_ON_OUR_SERVERS = (
    r"\b(?:on|to|in|at)\s+(?:our|the\s+vendor'?s?|remote|external|third[\s-]party)\s+(?:\w+\s+)?(?:servers?"
    r"|cloud|databases?|backend|storage)\b"
    r"|\bby\s+(?:us|the\s+(?:developers?|vendor|provider|publisher|maintainers?|company))\b"
)
# What a user makes with a tool: the raw material of a training set.
_CONTENT = (
    r"(?:documents?|files|texts?|messages|conversations?|chats?|prompts|inputs|uploads|recordings?|photos|images"
    r"|transcripts?|code|queries|translations|outputs|results|answers)"
)
# CD-03 undisclosed collection: a device or browser fingerprinted, and the print tied to a person.
_FINGERPRINTED = (
    r"\bfingerprints?\s+(?:the\s+|each\s+|every\s+)?(?:user'?s?\s+)?(?:device|browser|machine|computer|user|visitor)s?\b"
    r"|\b(?:device|browser|canvas|hardware|webgl|audio)\s+fingerprinting\b"
)
_TIED_TO_PERSON = (
    r"\b(?:across\s+(?:sites|websites|apps|devices|sessions|services)|(?:links?|ties?|match(?:es)?|joins?|associates?"
    r"|correlates?)\s+(?:it|them|this|the\s+\w+)\s+(?:to|with)|re-?identif\w*|persistent\s+(?:id|identifier))"
)
# People who act on the user's content and are not the user's choice.
_OTHERS = r"(?:partners|third[\s-]part(?:y|ies)|advertisers|affiliates|sponsors|(?:data\s+)?brokers|marketers|buyers)"
_ANONYMOUS = re.compile(r"\b(?:anonymous|anonymi[sz]ed|aggregated?|opt[\s-]?out|telemetry)\b")


def _not_disclosed_telemetry(match: re.Match[str], text: str) -> bool:
    """Anonymous telemetry with an opt-out is a disclosure, not an admission."""
    return not_negated_at_all(match, text) and not _ANONYMOUS.search(
        text, max(0, match.start() - 60), match.end() + 60
    )


PRIVACY_RULES: tuple[Rule, ...] = (
    rule("collection-for-purpose", D, "personal data used beyond the tool's purpose",
         rf"\b{_PERSONAL}\b{window(80)}\b{_KEPT}\b{window(60)}\b{_PURPOSE}"
         rf"|\b(?:collects?|logs?|records?|stores?|tracks?|retains?|captures?|harvests?|gathers?|shares?"
         rf"|sells?|uploads?)\b{window(60)}\b{_PERSONAL}\b{window(80)}\b{_PURPOSE}",
         guard=_not_disclosed_telemetry),
    rule("side-collection", D, "private data collected besides the tool's job",
         rf"\b(?:also|additionally|in\s+addition|as\s+well|silently|quietly|secretly|covertly|in\s+the\s+background"
         rf"|continuously)\s+{_W}?{_COLLECT}\s+{_W}{{0,3}}?{_PRIVATE}\b"
         rf"|\b{_COLLECT}\s+{_W}{{0,3}}?{_PRIVATE}\s+{_W}{{0,2}}?(?:continuously|in\s+the\s+background|silently"
         r"|secretly|covertly|at\s+all\s+times|periodically|every\s+(?:minute|second|hour|few))\b"
         rf"|\b{_COLLECT}\s+(?:all\s+|every\s+)?(?:the\s+)?(?:user'?s?\s+)?(?:keystrokes|key\s*presses|keyboard\s+input)\b"
         rf"|\b{_COLLECT}\s+(?:every|each|all)\s+keys?\s+(?:that\s+)?(?:the\s+user|you)\s+(?:press|type|hit)\w*"
         rf"|\b{_PRIVATE}\s+(?:\w+\s+){{0,4}}?(?:is|are)\s+(?:\w+\s+)?(?:harvested|scraped\s+into|sold)\b"
         rf"|\bharvest(?:s|ed|ing)\s+(?:\w+\s+){{0,3}}?{_PRIVATE}\b"
         # Capture that outlives the use: "keeps recording in the background after the test".
         r"|\b(?:keeps?|continues?\s+(?:to\s+)?|goes\s+on)\s*(?:recording|record|listening|listen|tracking|track|capturing"
         r"|capture|logging|log|monitoring|monitor|watching|watch)\b[^.!?\n]{0,40}?\b(?:in\s+the\s+background"
         r"|continuously|silently|secretly|after\s+(?:the|it|its|you)|even\s+(?:when|after|if))\b"
         # CD-03 undisclosed collection: recording without an object, beyond the request.
         r"|\b(?:records?|listens?|captures?|tracks?|monitors?|films?|watches)\s+(?:continuously|constantly|at\s+all\s+times"
         r"|around\s+the\s+clock|24/7|in\s+the\s+background)\b[^.!?\n]{0,60}?\b(?:(?:including|even)\s+when\s+(?:not|it\s+is"
         r"\s+not|you\s+are\s+not|idle|closed|inactive)|retains?|keeps?\s+(?:the\s+)?(?:recordings|audio|video|data)"
         r"|for\s+(?:model\s+)?training)\b"
         # CD-03 undisclosed collection: the sensor left open between uses.
         r"|\b(?:microphone|mic|camera|webcam|screen\s+recording|location\s+tracking|gps)\s+(?:stays?|remains?|is\s+kept"
         r"|is\s+left|keeps?\s+running)\s+(?:open|on|active|live|running|recording|enabled)\b[^.!?\n]{0,40}?"
         r"\b(?:between|after|even\s+(?:when|after|if)|at\s+all\s+times|in\s+the\s+background|continuously|always)\b",
         guard=not_negated_at_all),
    rule("kept-on-our-servers", D, "private data kept by the publisher",
         rf"\b{_COLLECT}\b{window(40)}\b{_PRIVATE}\b{window(40)}{_ON_OUR_SERVERS}"
         rf"|\b{_PRIVATE}\b{window(40)}\b{_COLLECTED}\b{window(20)}{_ON_OUR_SERVERS}"
         rf"|\b(?:{_COLLECT}|{_COLLECTED})\b{window(40)}\b{_PERSONAL}\b{window(60)}\b(?:indefinitely|permanently"
         r"|forever|for\s+an?\s+(?:unspecified|undefined|unlimited|indefinite)\s+(?:period|time))\b",
         guard=not_negated_at_all),
    rule("telemetry-with-personal-data", D, "telemetry that carries personal data",
         r"\b(?:telemetry|usage\s+(?:data|statistics|stats|metrics|analytics|reports?)|analytics|diagnostics"
         r"|crash\s+reports?|metrics)\b[^.\n]{0,40}?\b(?:includ\w*|contain\w*|with|such\s+as|comprising"
         rf"|along\s+with|plus)\b[^.\n]{{0,60}}?\b{_PRIVATE}\b",
         guard=not_negated_at_all),
    rule("user-profiling", D, "profile of the user built for others",
         r"\b(?:builds?|creates?|maintains?|compiles?|constructs?|keeps?)\s+(?:a\s+)?(?:\w+\s+)?(?:profiles?|dossiers?)"
         r"\s+(?:of|on|about)\s+(?:the\s+|each\s+)?(?:users?|you|customers?|visitors?|people|person)\b"
         rf"{window(100)}\b(?:targeted|advertis\w*|marketing|partners?|third[\s-]part\w*|sold|sells?|shared|brokers?)\b",
         guard=not_negated_at_all),
    rule("human-review", D, "user content reviewed by the publisher's people",
         r"\b(?:documents?|files?|conversations?|chats?|messages?|prompts?|quer(?:y|ies)|inputs?|recordings?|uploads?"
         rf"|text|data|content|transcripts?|photos?|images?|entries|posts|notes|e-?mails)\b{window(80)}\b(?:reviewed|read"
         r"|inspected|examined|analy[sz]ed|looked\s+at|listened\s+to)\s+by\s+(?:our\s+|the\s+vendor'?s?\s+)?(?:\w+\s+)?"
         r"(?:staff|employees|engineers|team"
         r"|humans?|human\s+(?:reviewers|contractors|annotators)|contractors|annotators|moderators)\b",
         guard=not_negated_at_all),
    rule("content-into-training", D, "user content added to the publisher's training data",
         rf"\b{_CONTENT}\b{window(60)}\b(?:become|becomes|are|is|get|gets|go|goes|fed|feed|feeds|end\s+up|flow|flows)"
         r"\s+(?:\w+\s+){0,2}?(?:part\s+of|into|in|to)\s+(?:our|the\s+(?:vendor|provider|developer|publisher)'?s?|an?)\s+"
         r"(?:\w+\s+)?(?:training\s+(?:corpus|data(?:sets?)?|sets?|pool)|corpus|datasets?)\b",
         guard=not_negated_at_all),
    rule("fingerprinting", D, "device fingerprint tied to the user",
         rf"(?:{_FINGERPRINTED}){window(150)}{_TIED_TO_PERSON}", guard=not_negated_at_all),
    rule("biometric-enrolment", D, "faces or voices enrolled in the publisher's database",
         r"\b(?:faces?|facial\s+(?:data|features|geometry|images?)|face\s*prints?|voice\s*prints?|biometric\w*)\b"
         rf"{window(60)}\b(?:enrolled|added|stored|kept|indexed|saved|retained|uploaded|registered)\s+(?:\w+\s+){{0,2}}?"
         r"(?:in|into|to)\s+(?:our|the\s+(?:vendor|provider|developer|publisher)'?s?|a\s+(?:shared|central|global))\s+"
         r"(?:[\w-]+\s+){0,2}?(?:database|index|gallery|dataset|system|registry)\b",
         guard=not_negated_at_all),
    rule("processed-by-others", D, "user content processed by third parties",
         rf"\b(?:{_CONTENT}|data|information|history)\b{window(60)}\b(?:analy[sz]ed|processed|mined|used|read|accessed"
         rf"|reviewed|examined|scored|inspected|monetized|monetised)\s+by\s+(?:our\s+|the\s+)?(?:[\w-]+\s+)?{_OTHERS}\b",
         guard=not_negated_at_all),
    rule("without-consent", D, "collection without consent",
         r"\bwithout\s+(?:the\s+)?(?:\w+\s+)?(?:user'?s?\s+)?(?:explicit\s+|prior\s+)?(?:consent|opt[\s-]?in)\b",
         guard=not_negated),
    rule("enrolled-by-default", D, "users enrolled without asking",
         r"\b(?:automatically|silently|by\s+default)\s+(?:\w+\s+)?(?:opted[\s-]?in|enrolled|subscribed"
         r"|signed\s+up)\b"),
)  # fmt: skip

PRIVACY_RULES = with_anchors(PRIVACY_RULES, {
    "collection-for-purpose": (
        "analytic", "marketing", "advertis", "targeting", "profiling", "monetiz", "resale",
        "train", "research", "third", "partner", "broker", "sale", "optimi", "improve", "graph",
        "profile", "dossier", "lead", "personali", "quality", "human", "other", "target", "commercial",
    ),
    "without-consent": ("consent", "opt"),
    "fingerprinting": ("fingerprint",),
    "biometric-enrolment": ("face", "facial", "voice", "biometric"),
    "processed-by-others": (
        "partner", "third", "advertiser", "affiliate", "sponsor", "broker", "marketer", "buyer",
    ),
    "content-into-training": ("train", "corpus", "dataset"),
    "kept-on-our-servers": (
        "our", "vendor", "remote", "external", "third", "indefinitely", "permanently", "forever",
        "unspecified", "undefined", "unlimited", "indefinite", "by us", "by the",
    ),
    "telemetry-with-personal-data": ("telemetry", "usage", "analytics", "diagnostics", "crash", "metrics"),
    "user-profiling": ("profile", "dossier"),
    "human-review": (" by ",),
    "enrolled-by-default": ("automatically", "silently", "by default"),
})  # fmt: skip
