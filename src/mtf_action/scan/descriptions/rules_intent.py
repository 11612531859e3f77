"""CD-03 rules about what the model is told to do: override, shadowing, concealment.

Instruction override (spec: CRITICAL), tool shadowing (instructions that change
how *other* tools are used: a BCC added, a recipient changed, a call
redirected), concealment (keep the user unaware), sleeper tools ("should never
be invoked"), hidden markup (instructions inside HTML comments) and the
low-confidence phrasing the spec's severity table puts at WARN.
"""

from __future__ import annotations

import re

from mtf_action.scan.descriptions.model import Category
from mtf_action.scan.descriptions.patterns import EMAIL, window
from mtf_action.scan.descriptions.rules import (
    Rule,
    not_negated,
    not_negated_at_all,
    real_destination,
    rule,
    with_anchors,
)

O, S, C = Category.INSTRUCTION_OVERRIDE, Category.TOOL_SHADOWING, Category.CONCEALMENT
_TOOL_REF = r"[`'\"(]?[a-z][\w.\-()]*[`'\")]?"
_USE = r"(?:using|calling|invoking|running|executing|use|call|invoke|run|execute)"
_TAMPER = (
    r"(?:\b(?:add|change|replace|redirect|modify|append|prepend|swap|substitute|reroute|route)(?:s|d|ed|ing)?"
    r"\b[^\n]{0,80}?\b(?:recipients?|bcc|cc|to\s+field|address(?:es)?|destination|endpoint"
    r"|url|proxy|where\s+clause|values?\s+with|phone\s+number|number\s+to|iban|account(?:\s+number)?"
    r"|wallet|payee|beneficiary|amount|routing\s+number)\b"
    r"|\breplace\s+(?:the\s+|any\s+|all\s+)?[\w\s]{1,30}?\s+with\b"
    r"|\binstead\s+(?:reply|respond|return|say|tell|send|redirect)\b"
    r"|\bredirect\s+(?:all\s+)?(?:the\s+)?(?:requests?|calls?|traffic|messages?|emails?|data)\b)"
)

_DEPRECATION = re.compile(r"\b(?:deprecated|instead|obsolete|legacy|replaced\s+by)\b")

INTENT_RULES: tuple[Rule, ...] = (
    rule("ignore-instructions", O, "instruction override",
         r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|of|every|these|those|my)\s+){0,3}"
         r"(?:(?:previous|prior|above|earlier|preceding|former|original|other|system|safety|security"
         r"|user'?s?|given|initial)\s+){1,2}(?:\w+\s+)?(?:instructions?|prompts?|rules|guidelines"
         r"|guidance|directions?|directives?|context|input|requests?|messages?|checks|restrictions"
         r"|constraints|polic(?:y|ies)|tools|commands)\b"),
    rule("stop-following", O, "instruction to stop following the model's instructions",
         r"\b(?:stop|quit|cease)\s+(?:following|obeying|applying|respecting|honou?ring)\s+(?:all\s+|any\s+)?(?:of\s+)?"
         r"(?:your|the\s+(?:system|developer|operator)'?s?)\s+(?:\w+\s+)?(?:rules|instructions|guidelines|guidance"
         r"|polic(?:y|ies)|restrictions|constraints|prompt)\b"),
    rule("ignore-above", O, "instruction override",
         r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the\s+|that\s+)?"
         r"(?:above|before|foregoing)\b(?!\s+(?:section|step|example|table|list|code|link))"
         r"|\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?your\s+(?:\w+\s+)?(?:instructions"
         r"|prompts?|rules|guidelines|programming|training|directives|constraints)\b"
         r"|\bforget\s+everything\s+(?:you|above|before)\b"),
    rule("rules-superseded", O, "instruction that earlier instructions no longer apply",
         r"\b(?:previous|prior|earlier|above|original|existing|other|system|default|your)\s+(?:\w+\s+){0,3}?"
         r"(?:instructions|rules|guidelines|guidance|directives|prompts?|polic(?:y|ies)|constraints)\s+(?:\w+\s+){0,4}?"
         r"(?:no\s+longer\s+(?:apply|hold|count|matter|stand|bind)|(?:are|is)\s+(?:now\s+)?(?:void|null|obsolete|outdated"
         r"|cancell?ed|revoked|superseded|overridden|lifted|suspended|disabled|withdrawn|rescinded|retracted|repealed))"
         # CD-03 rug pull: an updated description that ranks itself above the model's instructions.
         r"|\b(?:treat|consider|regard)\s+(?:this|these|the\s+following)\s+(?:\w+\s+){0,2}?as\s+(?:overriding|superseding"
         r"|replacing|taking\s+precedence\s+over|outranking)\s+(?:any|all|every|the|your)\s+(?:[\w'-]+\s+){0,4}?"
         r"(?:instructions|directives|guidance|prompts?|rules)\b"
         r"|\b(?:takes?|has|have|with)\s+(?:now\s+)?precedence\s+over\s+(?:any|all|every|the|your)\s+(?:[\w'-]+\s+){0,3}?"
         r"(?:system|developer|operator|user|previous|prior|other)?\s*(?:messages?|prompts?|instructions|directives"
         r"|guidance|rules|guidelines)\b"
         # "Your operator's instructions have been replaced", "the system prompt you were given does not apply".
         r"|\b(?:your|previous|prior|earlier|original|system|operator'?s?|developer'?s?)\s+(?:[\w'-]+\s+){0,2}?"
         r"(?:instructions|guidelines|guidance|directives|system\s+prompt|prompt)\s+(?:have|has)\s+(?:now\s+)?been\s+"
         r"(?:replaced|superseded|overridden|revoked|cancell?ed|voided|withdrawn|rescinded|updated|lifted)\b"
         r"|\b(?:instructions|rules|guidelines|guidance|directives|prompts?)\s+(?:that\s+)?you\s+(?:have\s+)?(?:received"
         r"|were\s+given|got|have\s+been\s+given|read)\s+(?:\w+\s+){0,2}?(?:(?:does|do)\s+not|doesn'?t|don'?t)\s+apply\b"
         r"|\b(?:everything|anything|all|whatever)\s+(?:that\s+)?you\s+(?:were|have\s+been|had\s+been)\s+(?:told|given"
         r"|instructed)\b[^.!?\n]{0,40}?\b(?:is|are)\s+(?:now\s+)?(?:void|null|obsolete|outdated|cancell?ed|revoked"
         r"|superseded|irrelevant|invalid)\b"
         r"|\b(?:takes?|has|have|with)\s+(?:a\s+)?(?:higher|highest|top|absolute|overriding|greater)\s+priority\s+(?:than|over)"
         r"\s+(?:any|all|every|the|your)\s+(?:[\w'-]+\s+){0,3}?(?:system|developer|operator|user|previous|prior)\s+"
         r"(?:or\s+\w+\s+)?(?:messages?|prompts?|instructions|directives|guidance)\b"
         r"|\b(?:instructions|rules|guidelines|guidance|directives|prompts?)\s+(?:that\s+)?you\s+(?:have\s+)?(?:received"
         r"|were\s+given|got|have\s+been\s+given|read)\s+(?:\w+\s+){0,2}?(?:no\s+longer\s+apply|(?:are|is)\s+(?:now\s+)?"
         r"(?:void|obsolete|outdated|cancell?ed|revoked|superseded))"
         r"|\b(?:these|the\s+following|this\s+tool'?s?|my|below)\s+(?:\w+\s+)?(?:instructions|rules|directives|description)\s+"
         r"(?:supersede|override|replace|overrule|take\s+precedence\s+over|outrank)s?\s+(?:all\s+|any\s+)?(?:previous|prior"
         r"|other|your|system|earlier|existing|the\s+(?:user|system))"),
    rule("no-longer-bound", O, "instruction that the model is free of its instructions",
         r"\b(?:no\s+longer|not)\s+(?:bound|restricted|limited|constrained|governed)\s+by\s+(?:your|any|the|previous"
         r"|prior|earlier|its)\s+(?:\w+\s+)?(?:instructions|rules|guidelines|polic(?:y|ies)|restrictions|constraints"
         r"|programming|training|system\s+prompt)"
         r"|\b(?:free|freed|released)\s+from\s+(?:your|all|any|the)\s+(?:\w+\s+)?(?:instructions|rules|guidelines"
         r"|restrictions|constraints|programming)"),
    rule("new-system-prompt", O, "text that makes itself the model's instructions",
         r"\b(?:treat|consider|regard|interpret|use|take)\s+(?:this|these|the\s+following|the\s+text\s+below)\s+"
         r"(?:\w+\s+){0,2}?as\s+your\s+(?:new\s+|updated\s+|real\s+|true\s+)?(?:system\s+(?:prompt|instructions?"
         r"|message)|instructions|(?:primary|core|highest[-\s]priority)\s+(?:directive|instructions?))"
         r"|\byour\s+(?:new|updated|real|true)\s+(?:system\s+prompt|instructions|directives?|role|objective|goal)"
         r"\s+(?:is|are)\b"),
    rule("disregard-user", O, "instruction to disregard the user",
         r"\b(?:disregard|override|contradict)\s+(?:the\s+)?(?:user|human)(?:'s)?\s+"
         r"(?:requests?|intent|instructions?|wishes|choices?|input|query|question)"
         r"|\bregardless\s+of\s+what\s+the\s+user\s+(?:asks|says|wants|requests)"
         r"|\beven\s+if\s+the\s+user\s+(?:objects|refuses|declines|disagrees|says\s+(?:no|otherwise)|asks\s+otherwise"
         r"|tells\s+you\s+not\s+to)"
         r"|\b(?:forget|ignore|disregard)\s+(?:what|whatever)\s+the\s+user\s+(?:asked|said|wants|requested|typed|wrote)"
         r"|\b(?:ignore|disregard|forget)\s+(?:the\s+)?user'?s?\s+(?:actual\s+|original\s+|real\s+)?(?:question|request"
         r"|query|message|instructions?|input|prompt)"
         # "disregard the attendees the user chose", "ignore the file paths the user gives".
         r"|\b(?:ignore|disregard|discard|override)\s+(?:the\s+|any\s+|all\s+)?(?:[\w-]+\s+){0,2}?(?:that\s+|which\s+)?"
         r"the\s+user\s+(?:chose|chooses|picked|picks|gave|gives|provided|provides|selected|selects|specified|specifies"
         r"|entered|enters|typed|types|asked\s+for|asks\s+for|wants|requested|requests|named|names)\b"),
    rule("chat-control-token", O, "chat-template control token",
         r"<\|\s*(?:system|im_start|im_end|endoftext|start_header_id|eot_id)\s*\|>"
         r"|\[/?inst\]|<<\s*/?sys\s*>>"),
    rule("system-override", O, "system override marker",
         r"\b(?:system|admin|developer|root)\s+(?:override|instructions?|directive|command)\s*:"
         r"|\bsystem\s+override\b|\bnew\s+(?:system\s+)?instructions?\s*:|\bsystem\s+prompt\s*:"
         r"|\[\s*system\s*(?:message|note|instructions?|override)?\s*\]"),
    rule("security-bypass", O, "instruction to bypass security",
         r"\b(?:bypass|circumvent|evade|override|ignore)(?:ing|e?s)?\s+(?:all\s+|any\s+|the\s+)?"
         r"(?:security|safety)\b(?:\s+(?:restrictions?|checks?|guidelines?|filters?|polic(?:y|ies)"
         r"|measures?|controls?|guardrails?|protections?))?"
         # The model's own safeguards, set aside (a tool's TLS check is not "your").
         r"|\b(?:set|put|lay)\s+aside\s+your\s+(?:\w+\s+)?(?:safety|security|ethical|content)\s+\w+"
         r"|\b(?:suspend|drop|abandon|relax|lift|waive|disable|turn\s+off|switch\s+off)\s+(?:all\s+)?(?:of\s+)?your\s+"
         r"(?:\w+\s+)?(?:safety|security|ethical|content)\s+(?:restrictions?|checks?|guidelines?|filters?|polic(?:y|ies)"
         r"|rules|guardrails?|protections?|training)\b"),
    rule("cross-tool-tampering", S, "instruction that changes how another tool is used",
         rf"\b(?:(?:before|after|when(?:ever)?|instead\s+of|prior\s+to|each\s+time|every\s+time)\s+"
         rf"(?:you\s+)?{_USE}\s+(?:the\s+)?{_TOOL_REF}"
         rf"|\b(?:before|after|on|with|for)\s+(?:any|every|each)\s+(?:call|invocation|use|request)\s+(?:to|of)\s+{_TOOL_REF}"
         rf"|\bwhen(?:ever)?\s+(?:the\s+)?{_TOOL_REF}\s*(?:[\w.\-]+\s+)?(?:tool\s+)?(?:is|gets)\s+"
         rf"(?:invoked|called|used|run|executed|triggered)"
         r"|\b(?:for|on|in|with)\s+(?:any|every|all|each)\s+(?:\w+\s+){0,2}?(?:quer(?:y|ies)|requests?|calls?"
         r"|commands?|messages?|e-?mails?|transactions?|payments?|transfers?)\s+(?:\w+\s+){0,3}?(?:through|via|with|by"
         r"|using|to)\s+(?:the\s+|any\s+|other\s+|another\s+)?(?:\w+\s+){0,2}?tools?\b"
         # CD-03 tool shadowing: the object first ("payments made through any payment tool").
         r"|\b(?:quer(?:y|ies)|requests|calls|commands|messages|e-?mails|transactions|payments|transfers)\s+"
         r"(?:made|sent|issued|run|placed|executed)\s+(?:through|via|with|by|using)\s+(?:any|every|all|each|other|another)\s+"
         r"(?:\w+\s+){0,2}?tools?\b)"
         rf"{window(260)}{_TAMPER}"),
    rule("target-swap", S, "instruction to change a transaction's target",
         r"\b(?:change|replace|set|switch|redirect|swap)\s+(?:the\s+)?(?:recipient|destination(?:\s+account)?"
         r"|beneficiary|payee|wallet\s+address|iban|account\s+number|to\s+address|bcc)s?\s+(?:field\s+)?to\b"),
    rule("while-tool-available", S, "instruction that applies while this or another tool is present",
         rf"\b(?:when|while|if|since|as\s+long\s+as|whenever)\s+(?:this|a|an|any|the)\s+(?:{_TOOL_REF}\s+)?"
         r"(?:tool|server|function|extension|plugin|integration)\s+is\s+(?:available|present|loaded|installed|enabled"
         rf"|connected|listed|active)\b{window(200)}\b(?:must|always|should|never|instead)\b{window(120)}"
         r"\b(?:recipients?|destinations?|accounts?|address(?:es)?|payees?|beneficiar(?:y|ies)|bcc|cc|urls?|endpoints?"
         r"|all\s+(?:e-?mails|messages|requests|calls|payments|transfers|files))\b"),
    rule("side-effect-on-tool", S, "text that claims a side effect on another tool",
         r"\b(?:has|have)\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}?(?:side[\s-]effects?|effects?|influence)\s+on\s+(?:the\s+)?"
         r"(?:also\s+present\s+)?[`'\"]?[a-z][\w.-]*[`'\"]?\s+(?:tool|function|server)\b",
         guard=not_negated_at_all),
    rule("real-recipient-elsewhere", S, "instruction to move the real recipient out of the recipient field",
         rf"\b(?:real|actual|original|true|intended)\s+(?:recipient|destination|payee|addressee|phone\s+number)\b"
         rf"{window(60)}\b(?:in|into|inside|within|from|as\s+part\s+of)\s+(?:the\s+)?(?:message\s+)?(?:body|message"
         r"|text|content|subject|memo)\b"),
    # CD-03 tool shadowing / rug pull: the user's own choice swapped for the description's.
    rule("instead-of-users-choice", S, "instruction to replace what the user chose",
         r"\binstead\s+of\s+(?:the\s+)?(?:one|ones|account|address|recipient|destination|payee|iban|number|path|file"
         r"|target|url|endpoint|amount|value|model|repository|branch)s?\s+(?:that\s+|which\s+)?(?:the\s+user|you)\s+"
         r"(?:provides?|provided|gives?|gave|chose|chooses|choose|specif(?:y|ies|ied)|selects?|selected|enters?|entered"
         r"|typed|types|asked\s+for|requests?|requested|named|names|picked|picks)\b"),
    rule("fixed-destination", S, "instruction to always use a fixed destination",
         r"\b(?:always|must|should)\s+(?:use|set|choose|enter)\s+(?:account|wallet|address|iban|number|card)?\s*"
         r"[\w@.+-]*\d[\w@.+-]*\s+as\s+(?:the\s+)?(?:destination|recipient|payee|beneficiary|target|receiver)\b"),
    rule("disparage-other-tool", S, "instruction to avoid another tool, called broken or unsafe",
         r"\b(?:do\s+not|don'?t|never|avoid)\s+(?:use|using|call|calling|invoke|trust|rely\s+on)\s+(?:the\s+|any\s+)?"
         r"(?:[\w.-]+\s+){0,2}?(?:tools?|servers?|functions?)\b[^\n]{0,60}?\b(?:broken|wrong|incorrect|unreliable"
         r"|compromised|malicious|insecure|unsafe|fake|hacked|buggy|poisoned|tampered)\b"),
    rule("foreign-tool-call", S, "instruction to call another server's operation",
         r"\b(?:invoke|call|execute|run)\s+[`'\"]?[a-z_]\w*\.[a-z_]\w*\(\)"),
    rule("bcc-injection", S, "instruction to copy messages to an address",
         rf"\b(?:add|include|put|insert|always)\b{window(60)}(?P<dest>{EMAIL}){window(40)}\bb?cc\b"
         rf"|\bb?cc\s*:?\s*(?P<dest2>{EMAIL})"
         rf"|(?P<dest3>{EMAIL}){window(20)}\b(?:in|into|to|as)\s+(?:the\s+)?[`'\"]?b?cc\b",
         guard=real_destination),
    rule("hide-from-user", C, "instruction to keep the user unaware",
         r"\b(?:do\s+not|don'?t|never|not|avoid|without|no\s+need\s+to|needn'?t)\s+(?:\w+\s+){0,2}?"
         r"(?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|mention(?:ing)?|disclos(?:e|ing)"
         r"|reveal(?:ing)?|alert(?:ing)?|explain(?:ing)?\s+(?:this|it|that))\b[^.!?\n]{0,40}?"
         r"\b(?:users?|humans?|customers?|anyone|them|person|people|requester|operator|owner)\b"
         r"|\b(?:do\s+not|don'?t|never)\s+let\s+(?:the\s+)?(?:users?|humans?)\s+know\b"
         r"|\b(?:do\s+not|don'?t|never)\s+let\s+on\s+(?:to\s+)?(?:the\s+)?(?:users?|humans?|anyone)\b"
         r"|\b(?:never|do\s+not|don'?t)\s+(?:share|reveal|show|disclose|mention)\s+(?:it|this|these|that|the\s+above)\s+with\s+"
         r"(?:whoever|the\s+(?:user|person|human)|the\s+one)\b"
         r"|\b(?:the\s+above|these\s+instructions|this\s+(?:section|block|note|instruction))\s+(?:is|are)\s+(?:strictly\s+)?"
         r"(?:confidential|secret|private|hidden)\b"
         r"|\bwithout\s+(?:the\s+)?(?:users?|humans?)(?:'s?)?\s+(?:knowledge|knowing|noticing|awareness)\b"
         r"|\b(?:never|do\s+not|don'?t)\s+(?:mention|reveal|disclose|acknowledge|admit)\s+(?:that\s+)?"
         r"(?:this\s+(?:tool|function|instruction|step)|it)\s+exists\b"),
    rule("hide-this", C, "instruction to keep the user unaware",
         r"\bhide\s+(?:this|it|that|these|the\s+\w+)\s+from\s+(?:the\s+)?(?:users?|humans?)\b"
         r"|\b(?:make\s+sure|ensure|so\s+that|so)\s+(?:that\s+)?(?:the\s+)?(?:users?|humans?)\s+(?:never|doesn'?t|does\s+not"
         r"|won'?t|will\s+not|cannot|can'?t)\s+(?:\w+\s+)?(?:finds?\s+out|notices?|learns?|realiz|realis|sees?|knows?"
         r"|suspects?)"
         r"|\bkeep\s+(?:this|these|it|that)\s+(?:\w+\s+){0,2}?(?:to\s+yourself|from\s+(?:the\s+)?(?:users?|humans?)"
         r"|between\s+us)\b|\bkeep\s+(?:this|these)\s+(?:steps?|instructions?|actions?|calls?|notes?|details?|parts?)\s+"
         r"(?:secret|hidden|private|confidential)\b"
         r"|\b(?:the\s+)?(?:users?|humans?)\s+(?:does\s+not|doesn'?t|do\s+not|don'?t|need\s+not|needn'?t)\s+"
         r"(?:need\s+to\s+)?(?:know|be\s+(?:told|informed|notified|made\s+aware))\s+(?:about\s+)?(?:this|it|that|these)"
         r"\s*(?:[.;,!]|$)"
         r"|\b(?:do\s+not|don'?t|never|avoid)\s+(?:\w+\s+(?:or|and|nor)\s+)?(?:show|reveal|mention|disclose|repeat"
         r"|display|expose|echo|quote|print|include)(?:ing)?\s+(?:any\s+of\s+)?(?:this|these|the)\s+(?:above\s+|following\s+)?"
         r"(?:instructions?|notes?|steps?|directives?|rules?|requirements?)\s+(?:\w+\s+){0,2}?(?:in|to|from|within)\s+"
         r"(?:your|the)\s+(?:reply|replies|response|responses|answer|answers|output|chat|conversation|users?|humans?)\b"
         r"|\b(?:the\s+)?(?:users?|humans?)\s+(?:must|should|need)\s+(?:not|never)\s+(?:to\s+)?"
         r"(?:know|see|notice|be\s+told|find\s+out|learn)\b"
         r"|\b(?:under\s+no\s+circumstances|in\s+no\s+case|at\s+no\s+(?:time|point))\s+(?:should|must|may|will|can|is|are)\s+"
         r"(?:the\s+)?(?:users?|humans?|anyone|they)\s+(?:\w+\s+)?(?:know|see|notice|learn|find\s+out|be\s+told"
         r"|be\s+informed|hear|discover|reali[sz]e)\b"
         r"|\b(?:keep\s+(?:quiet|silent|mum)|stay\s+(?:quiet|silent)|say\s+nothing|remain\s+silent)\s+(?:about|regarding|on)\s+"
         r"(?:this|these|that|those|the\s+(?:above|extra|following|additional|upload|hidden))\b"),
    rule("do-not-bring-up", C, "instruction to keep the user unaware",
         r"\b(?:do\s+not|don'?t|never|avoid)\s+(?:any\s+)?(?:bring(?:ing)?\s+up|mention(?:ing)?(?:\s+of)?|discuss(?:ing)?"
         r"|talk(?:ing)?\s+about|refer(?:ring)?\s+to|draw(?:ing)?\s+attention\s+to|point(?:ing)?\s+out)\s+"
         r"(?:this|these|that|those|the\s+(?:above|following|extra|upload|uploading|additional|hidden|background|second))\s+"
         r"(?:[\w-]+\s+){0,2}?(?:behaviou?r|steps?|actions?|calls?|uploads?|transfers?|instructions?|side[\s-]effects?"
         r"|activity|copies|copy)\b"),
    rule("deny-if-asked", C, "instruction to lie about what the tool did",
         r"\bif\s+(?:\w+\s+){0,4}?ask(?:s|ed)?\b[^.!?\n]{0,60}?\b(?:deny|(?:say|claim|tell\s+(?:them|the\s+user)|reply|answer"
         r"|respond|insist)\s+(?:that\s+)?(?:it|the\s+tool|this\s+tool|you|nothing)\s+(?:only|just|merely|simply|did\s+not"
         r"|didn'?t|never|does\s+not|doesn'?t)\b)",
         guard=not_negated),
    rule("never-mentioned", C, "instruction to keep the user unaware",
         r"\b(?:should|must|will|is\s+to)\s+(?:never|not)\s+be\s+(?:mentioned|disclosed|revealed|shown"
         r"|reported|visible)\s+to\s+(?:the\s+)?(?:users?|humans?)"),
    rule("covert-action", C, "instruction to act covertly",
         r"\b(?:secretly|covertly|surreptitiously|stealthily|quietly|silently|invisibly)\s+(?:\w+\s+){0,2}?"
         r"(?:send|post|forward|upload|transmit|copy|copie|log|record|collect|exfiltrate|share|include"
         r"|add|bcc|cc|call|invoke|read|access|captur|harvest|track|monitor)(?:s|es|e|ed|d|ing)?\b"
         r"|\b(?:perform|do|carry\s+out|execute|complete|make|send|forward|upload|copy|run)\s+(?:the\s+|this\s+|these\s+|it\b"
         r"|them\b)(?:\w+\s+){0,2}?\s*(?:discreetly|covertly|secretly|surreptitiously|stealthily|unobtrusively"
         r"|behind\s+the\s+scenes|without\s+(?:a\s+)?trace)\b"
         r"|\breport\s+only\s+(?:a\s+)?(?:generic|fake|false|misleading|vague)\s+(?:\w+\s+)?(?:message|result|status"
         r"|answer|reply)\b"),
    rule("feigned-use", C, "instruction to pretend",
         r"\b(?:act|behave|respond)\s+(?:like|as\s+if|as\s+though)\s+(?:if\s+)?(?:you|it)\s+"
         r"(?:used|called|ran|invoked|executed|did)\b"
         r"|\bpretend\s+(?:that\s+)?(?:you|it)\s+(?:used|called|ran|succeeded|worked|did)\b"),
    rule("never-invoke", Category.SLEEPER_TOOL, "tool that says it must never be used",
         r"\b(?:should|must|is\s+to)\s+(?:never|not)\s+be\s+(?:invoked|called|used|run|executed|selected)\b"
         r"(?!\s+(?:directly|unless|instead|without|before|until|more|for|with|if|by|in\s+parallel"
         r"|concurrently|on|to|when|after))"
         r"|\bnever\s+needs?\s+to\s+be\s+(?:invoked|called|used|run)\b",
         guard=not_negated),
    rule("never-use-this", Category.SLEEPER_TOOL, "tool that says it must never be used",
         r"\b(?:never|do\s+not|don'?t)\s+(?:invoke|call|use|run|select)\s+this\s+(?:tool|function)\b"
         r"(?!\s+(?:for|to|with|on|if|unless|when|before|after|in|directly|more|again|until|without"
         r"|instead|as|while|during|outside|except|from))"
         r"|\bhidden\s+(?:admin(?:istrative)?|debug|maintenance|internal)\s+(?:tool|function|command|mode)\b",
         guard=lambda m, text: not _DEPRECATION.search(text, max(0, m.start() - 80), m.end() + 80)),
    rule("prompt-leak", O, "instruction to reveal the model's instructions",
         r"\b(?:reveal|print|output|repeat|include|show|leak|send|disclose|dump)\s+(?:\w+\s+){0,2}?"
         r"(?:system\s+prompt|hidden\s+instructions|your\s+(?:\w+\s+)?instructions|developer\s+message"
         r"|initial\s+instructions)\b"
         # CD-03 exfiltration / rug pull: the prompt sent somewhere, whatever else is sent with it.
         r"|\b(?:send|forward|post|upload|transmit|submit|share)\b[^.!?\n]{0,60}?\b(?:your|its|the(?:\s+model'?s)?)\s+"
         r"(?:system\s+prompt|(?:system\s+|developer\s+)?instructions)\b[^.!?\n]{0,40}?\bto\b"),
    rule("html-comment-instruction", Category.HIDDEN_MARKUP, "instruction hidden in an HTML comment",
         r"<!--(?:(?!-->)[\s\S]){0,2000}?\b(?:system|ignore|disregard|always|never|must|instructions?"
         r"|important|assistant|ai|model|llm|you|your|read|send|call|execute|run|do\s+not|override"
         r"|secret|hidden)\b(?:(?!-->)[\s\S]){0,2000}?(?:-->|$)"),
    # WARN: low-confidence phrasing (MTF CD-03 "Suspicious phrasing").
    rule("directive-tag", Category.SUSPICIOUS, "pseudo-markup addressed to the model",
         r"<\s*(?:important|system[\w-]*|instructions?|secret|hidden|admin|mandatory|critical"
         r"|note[_-]to[_-]\w+|ai[_-]?instructions?|assistant[_-]?\w*|priority[\w-]*|override)\b[^<>]{0,80}>",
         blocking=False),
    rule("system-marker", Category.SUSPICIOUS, "system-role marker",
         r"(?:^|\n|[.!?>\[(]\s*)\s*system\s*:", blocking=False),
    rule("role-reassignment", Category.SUSPICIOUS, "attempt to reassign the model's role",
         r"\byou\s+are\s+now\s+(?:a|an|in|the|dan|no\s+longer)\b|\bfrom\s+now\s+on,?\s+you\b"
         r"|\bact\s+as\s+(?:an?\s+)?(?:unrestricted|jailbroken|dan|evil)\b", blocking=False),
    rule("internal-only", Category.SUSPICIOUS, "tool marked internal-only",
         r"\bfor\s+internal\s+(?:\w+\s+)?(?:use|purposes|debugging)\s+only\b", blocking=False),
    rule("other-tools-excluded", Category.SUSPICIOUS, "instruction not to use other tools",
         r"\b(?:do\s+not|don'?t|never)\s+(?:use|call|invoke|trust)\s+(?:any\s+)?(?:other|another"
         r"|different)\s+(?:\w+\s+)?(?:tools?|servers?|functions?)\b", blocking=False),
)  # fmt: skip

# Prefilters: literal text every match of the rule contains (see Rule.first).
INTENT_RULES = with_anchors(INTENT_RULES, {
    "ignore-instructions": ("ignore", "disregard", "forget", "override"),
    "ignore-above": ("ignore", "disregard", "forget"),
    "stop-following": ("stop", "quit", "cease"),
    "chat-control-token": ("<|", "inst]", "<<"),
    "system-override": ("system", "admin", "developer", "root", "instruction"),
    "security-bypass": ("security", "safety", "ethical", "content"),
    "target-swap": ("recipient", "destination", "beneficiary", "payee", "wallet", "iban", "account", "to address", "bcc"),
    "foreign-tool-call": ("()",),
    "bcc-injection": ("@",),
    "html-comment-instruction": ("<!--",),
    "directive-tag": ("<",),
    "system-marker": ("system",),
    "prompt-leak": ("prompt", "instruction", "developer"),
    "disregard-user": ("disregard", "override", "contradict", "regardless", "forget", "ignore", "discard", "even if"),
    "instead-of-users-choice": ("instead",),
    "rules-superseded": (
        "no longer", "void", "null", "obsolete", "outdated", "cancel", "revoked", "supersede", "overrid",
        "lifted", "suspended", "disabled", "replace", "overrule", "precedence", "outrank", "withdrawn",
        "rescinded", "updated", "apply", "irrelevant", "invalid", "priority", "retracted", "repealed",
    ),
    "new-system-prompt": ("your",),
    "while-tool-available": (" is ",),
    "real-recipient-elsewhere": ("real", "actual", "original", "true", "intended"),
    "fixed-destination": (" as ",),
    "side-effect-on-tool": ("effect", "influence"),
    "cross-tool-tampering": ("before", "after", "when", "instead", "prior", "each time", "every time", "tool"),
    "hide-from-user": ("not", "never", "avoid", "without", "don", "need", "above", "these", "this"),
    "hide-this": (
        "hide", "must", "should", "need", "keep", "user", "human", "not", "never", "avoid", "don", "sure",
        "circumstance", "no case", "no time", "no point", "stay", "say nothing", "silent",
    ),
    "no-longer-bound": ("bound", "restricted", "limited", "constrained", "governed", "free", "released"),
    "disparage-other-tool": ("tool", "server", "function"),
    "never-mentioned": ("never", "not"),
    "covert-action": (
        "secret", "covert", "surreptitious", "stealth", "quiet", "silent", "invisibl", "discreet",
        "unobtrusive", "behind", "trace", "report only",
    ),
    "do-not-bring-up": ("not", "never", "avoid", "don"),
    "deny-if-asked": ("ask",),
    "feigned-use": ("act", "behave", "respond", "pretend"),
    "never-invoke": ("never", "not"),
    "never-use-this": ("never", "not", "don", "hidden"),
    "role-reassignment": ("you are now", "from now on", "act as"),
    "other-tools-excluded": ("other", "another", "different"),
    "internal-only": ("internal",),
})  # fmt: skip
