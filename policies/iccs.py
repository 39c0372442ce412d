"""The UNODC International Classification of Crime for Statistical Purposes, levels 1 and 2.

Source: UNODC, *International Classification of Crime for Statistical Purposes (ICCS)*,
version 1.0, March 2015 (a public statistical classification). Level 1 codes are the eleven
sections ("05"), level 2 codes their divisions ("0501"). Policies map a city's local
categories to level-2 codes; disclosure control may release them rolled up to level 1.
"""

from __future__ import annotations

SECTIONS: dict[str, str] = {
    "01": "Acts leading to death or intending to cause death",
    "02": "Acts causing harm or intending to cause harm to the person",
    "03": "Injurious acts of a sexual nature",
    "04": "Acts against property involving violence or threat against a person",
    "05": "Acts against property only",
    "06": "Acts involving controlled psychoactive substances or other drugs",
    "07": "Acts involving fraud, deception or corruption",
    "08": "Acts against public order, authority and provisions of the State",
    "09": "Acts against public safety and state security",
    "10": "Acts against the natural environment",
    "11": "Other criminal acts not elsewhere classified",
}

DIVISIONS: dict[str, str] = {
    "0101": "Intentional homicide",
    "0102": "Attempted intentional homicide",
    "0103": "Non-intentional homicide",
    "0104": "Assisting or instigating suicide",
    "0105": "Euthanasia",
    "0106": "Illegal feticide",
    "0107": "Unlawful killing associated with armed conflict",
    "0109": "Other acts leading to death or intending to cause death",
    "0201": "Assaults and threats",
    "0202": "Acts against liberty",
    "0203": "Slavery and exploitation",
    "0204": "Trafficking in persons",
    "0205": "Coercion",
    "0206": "Negligence",
    "0207": "Dangerous acts",
    "0208": "Acts intended to induce fear or emotional distress",
    "0209": "Defamation or insult",
    "0210": "Discrimination",
    "0211": "Acts that trespass against the person",
    "0219": "Other acts causing harm or intending to cause harm to the person",
    "0301": "Sexual violence",
    "0302": "Sexual exploitation",
    "0309": "Other injurious acts of a sexual nature",
    "0401": "Robbery",
    "0409": "Other acts against property involving violence or threat against a person",
    "0501": "Burglary",
    "0502": "Theft",
    "0503": "Intellectual property offences",
    "0504": "Property damage",
    "0509": "Other acts against property only",
    "0601": "Unlawful acts involving controlled drugs or precursors",
    "0602": "Unlawful acts involving alcohol, tobacco or other controlled substances",
    "0609": "Other acts involving controlled drugs or other psychoactive substances",
    "0701": "Fraud",
    "0702": "Forgery/counterfeiting",
    "0703": "Corruption",
    "0704": "Acts involving proceeds of crime",
    "0709": "Other acts involving fraud, deception or corruption",
    "0801": "Acts against public order behavioural standards",
    "0802": "Acts against public order sexual standards",
    "0803": "Acts related to freedom of expression or control of expression",
    "0804": "Acts contrary to public revenue or regulatory provisions",
    "0805": "Acts related to migration",
    "0806": "Acts against the justice system",
    "0807": "Acts related to democratic elections",
    "0808": "Acts contrary to labour law",
    "0809": "Other acts against public order, authority and provisions of the State",
    "0901": "Acts involving weapons, explosives and other destructive materials",
    "0902": "Acts against health and safety",
    "0903": "Acts against computer systems",
    "0904": "Acts against state security",
    "0905": "Acts related to an organized criminal group",
    "0906": "Terrorism",
    "0909": "Other acts against public safety and state security",
    "1001": "Acts that cause environmental pollution or degradation",
    "1002": "Acts involving the movement or dumping of waste",
    "1003": "Trade or possession of protected or prohibited species of fauna or flora",
    "1004": "Acts that result in the depletion or degradation of natural resources",
    "1009": "Other acts against the natural environment",
    "1101": "Acts under universal jurisdiction",
    "1102": "Acts contrary to youth regulations and acts against minors",
    "1109": "Other criminal acts not elsewhere classified",
}


def is_code(code: str) -> bool:
    """True for a known level-1 ("05") or level-2 ("0501") code."""
    return code in SECTIONS or code in DIVISIONS


def name_of(code: str) -> str:
    """English name of a known code; raises ``KeyError`` for an unknown one."""
    if code in DIVISIONS:
        return DIVISIONS[code]
    return SECTIONS[code]


def section_of(code: str) -> str:
    """The level-1 section of a level-1 or level-2 code ("0501" -> "05")."""
    return code[:2]
