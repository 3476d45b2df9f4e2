"""Currencies: symbols ("$", "HK$", "€"), ISO codes ("USD 5") and currency words ("rubles")."""

from __future__ import annotations

_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "A$": "AUD", "C$": "CAD", "S$": "SGD",
    "R$": "BRL", "HK$": "HKD", "NZ$": "NZD", "NT$": "TWD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₹": "INR", "₽": "RUB", "₫": "VND", "₩": "KRW", "₺": "TRY", "₴": "UAH", "Rs": "INR",
    "Rs.": "INR", "$US": "USD", "$A": "AUD", "$NZ": "NZD", "$HK": "HKD",
}  # fmt: skip
_CODES = "USD EUR GBP JPY CNY RMB RUB VND INR AUD CAD CHF KRW HKD SGD NZD BRL ZAR TRY UAH".split()
_CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "sterling": "GBP", "pound": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "ruble": "RUB", "rouble": "RUB",
    "dong": "VND", "won": "KRW", "franc": "CHF", "real": "BRL", "reais": "BRL", "rand": "ZAR",
    "lira": "TRY", "hryvnia": "UAH",
}  # fmt: skip
_DOLLAR_REGIONS = {
    "us": "USD", "u.s.": "USD", "american": "USD", "australian": "AUD", "canadian": "CAD",
    "hong kong": "HKD", "singapore": "SGD", "new zealand": "NZD", "taiwan": "TWD",
}  # fmt: skip

_CUR_PREFIX = (
    # "$US10 million", "$A5m": the country after the sign, as Australian outlets write it
    r"(?:\$(?:US|A|NZ|HK)(?=\d)|(?:US|U\.S\.|[ACSR]|HK|NZ|NT)?\$|[€£¥₹₽₫₩₺₴]|(?:\b(?:"
    + "|".join(_CODES)
    + r")|\bRs\.?)\s?)"
)
