"""The demo shop's catalog and people: products with SKUs, buyer names, creator handles.

Everything is drawn from a caller's ``random.Random`` so a seed always gives the same shop.
Names are plain data here; the order generator (``generator.py``) decides who buys what.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# How a product varies: the variation label, its options and, for sizes and packs, the price
# multiplier of each option (bigger bottle, bigger price). None means one price for all.
_VARIATIONS: dict[str, tuple[str, tuple[str, ...], tuple[float, ...] | None]] = {
    "shade": ("Shade", ("Rose", "Nude", "Berry", "Coral", "Mauve", "Cherry", "Mocha", "Peach",
                        "Plum"), None),
    "tone": ("Shade", ("Fair", "Light", "Medium", "Tan", "Deep"), None),
    "color": ("Color", ("Black", "White", "Beige", "Sage Green", "Dusty Pink", "Navy", "Brown",
                        "Lavender"), None),
    "metal": ("Color", ("Gold", "Silver", "Rose Gold"), None),
    "hair": ("Color", ("Jet Black", "Dark Brown", "Chestnut", "Honey Blonde", "Ash Blonde"), None),
    "scent": ("Scent", ("Vanilla", "Lavender", "Eucalyptus Mint", "Coconut", "Sandalwood",
                        "Fresh Linen", "Unscented"), None),
    "apparel": ("Size", ("S", "M", "L", "XL"), None),
    "nail": ("Size", ("XS", "S", "M", "L", "XL"), None),
    "letter": ("Initial", ("A", "C", "E", "J", "K", "L", "M", "S"), None),
    "brush": ("Size", ("Small", "Medium", "Large"), (1.0, 1.2, 1.4)),
    "oz": ("Size", ("1 oz", "1.7 oz", "3.4 oz", "6.8 oz"), (1.0, 1.4, 2.0, 2.8)),
    "pack": ("Quantity", ("1 Pack", "2 Pack", "3 Pack", "5 Pack"), (1.0, 1.8, 2.5, 3.8)),
}

# Category -> (seller SKU prefix, [(product name, base price in dollars, variation kind)]).
_CATEGORIES: dict[str, tuple[str, list[tuple[str, float, str | None]]]] = {
    "Makeup": ("MU", [
        ("Velvet Matte Liquid Lipstick, Long-Lasting Transfer-Proof", 14, "shade"),
        ("Hydrating Lip Oil Gloss, Non-Sticky Plumping Shine", 12, "shade"),
        ("Volumizing Lash Mascara, Smudge-Proof Lengthening Formula", 13, None),
        ("Waterproof Gel Eyeliner Pencil, Ultra-Fine Tip", 9, "color"),
        ("12-Shade Neutral Eyeshadow Palette, Matte & Shimmer", 22, None),
        ("Dewy Setting Spray, 16-Hour Makeup Lock", 16, "oz"),
        ("Cream Blush Stick, Buildable Sheer Color", 15, "shade"),
        ("Liquid Highlighter Drops, Champagne Glow", 18, "tone"),
        ("Soft Focus Concealer, Full Coverage Crease-Proof", 14, "tone"),
        ("Skin Tint Foundation SPF 20, Lightweight Natural Finish", 26, "tone"),
        ("Tinted Brow Gel, All-Day Hold", 11, "tone"),
        ("Blending Makeup Sponge Set, Latex-Free", 8, "pack"),
        ("Pro Makeup Brush Set with Travel Case, 14 Pieces", 24, "color"),
        ("Translucent Loose Setting Powder, Oil Control", 17, None),
        ("Peptide Lip Treatment Balm", 16, "shade"),
        ("Contour Stick Duo, Sculpt & Define", 18, "tone"),
        ("Reusable Wispy Strip Lashes with Lash Glue Kit", 15, "pack"),
        ("Pore Blurring Primer, Color Correcting", 19, None),
        ("Matte Bronzer Powder, Sun-Kissed Warmth", 20, "tone"),
        ("Creamy Lip Liner Pencil Set, Nude Tones (6 Pack)", 12, None),
        ("Glitter Eye Topper, Quick-Dry Sparkle", 10, "shade"),
        ("Velour Powder Puff Set", 7, "pack"),
        ("Long-Wear Cream Eyeshadow Stick", 13, "shade"),
        ("Makeup Remover Cleansing Balm", 19, "oz"),
    ]),
    "Skincare": ("SK", [
        ("Vitamin C Brightening Serum, 20% with Hyaluronic Acid", 24, "oz"),
        ("Niacinamide 10% + Zinc Pore Refining Serum", 16, "oz"),
        ("Hyaluronic Acid Hydrating Serum, Fragrance-Free", 18, "oz"),
        ("Retinol Night Cream, Anti-Aging Moisturizer", 32, "oz"),
        ("Snail Mucin 96% Repairing Essence", 21, "oz"),
        ("Ceramide Barrier Repair Moisturizer", 26, "oz"),
        ("Gentle Foaming Facial Cleanser, pH Balanced", 14, "oz"),
        ("Mineral Sunscreen SPF 50, No White Cast", 22, None),
        ("Hydrocolloid Pimple Patches (72 Count)", 9, "pack"),
        ("Overnight Lip Sleeping Mask", 15, "scent"),
        ("Collagen Under-Eye Patches, De-Puffing (30 Pairs)", 19, "pack"),
        ("Glycolic Acid Exfoliating Toner", 20, "oz"),
        ("Rice Water Brightening Cleanser", 15, "oz"),
        ("Salicylic Acid Acne Spot Treatment", 12, None),
        ("Peptide Firming Neck Cream", 34, None),
        ("Centella Calming Sheet Masks (10 Pack)", 18, "pack"),
        ("Rose Quartz Face Roller & Gua Sha Set", 20, None),
        ("Ice Roller for Face & Eyes", 12, "color"),
        ("Whipped Shea Body Butter with Vitamin E", 17, "scent"),
        ("Brown Sugar Exfoliating Body Scrub", 16, "scent"),
        ("Caffeine Under-Eye Brightening Cream", 22, None),
        ("Squalane Facial Oil, Lightweight Hydration", 23, "oz"),
        ("Pink Clay Mask, Deep Pore Detox", 18, None),
        ("Bakuchiol Serum, Gentle Retinol Alternative", 27, "oz"),
    ]),
    "Hair Care": ("HC", [
        ("Rosemary Mint Scalp & Hair Strengthening Oil", 12, "oz"),
        ("Heatless Curling Rod Headband Set", 11, "color"),
        ("Argan Oil Leave-In Conditioner Spray", 15, "oz"),
        ("Bond Repair Deep Conditioning Hair Mask", 24, "oz"),
        ("One-Step Ionic Hair Dryer Brush, Volumizer", 45, "color"),
        ("Ceramic Flat Iron, 1 Inch Adjustable Temperature", 49, "color"),
        ("Cordless Automatic Hair Curler", 59, "color"),
        ("Detangling Brush for Wet & Dry Hair", 10, "color"),
        ("Microfiber Hair Towel Wrap", 13, "pack"),
        ("Biotin Thickening Shampoo & Conditioner Set", 26, "oz"),
        ("Volumizing Dry Shampoo Spray", 12, "scent"),
        ("Silicone Scalp Massager Shampoo Brush", 8, "color"),
        ("Heat Protectant Spray, Up to 450F", 14, "oz"),
        ("Curl Defining Cream for Wavy & Curly Hair", 17, "oz"),
        ("Adjustable Silk Sleep Bonnet", 13, "apparel"),
        ("Caffeine Hair Growth Serum", 28, "oz"),
        ("Clip-In Hair Extensions, 20 Inch Seamless", 79, "hair"),
        ("Edge Control Gel, Strong Hold", 9, "scent"),
        ("Purple Shampoo for Blonde & Silver Hair", 16, "oz"),
        ("Frizz Control Hair Oil Serum", 18, "oz"),
        ("Satin Pillowcase Set for Hair & Skin", 15, "color"),
        ("Boar Bristle Round Brush", 19, "brush"),
        ("Spiral Hair Ties, No-Damage (20 Pack)", 7, "color"),
        ("Sea Salt Scalp Scrub", 21, "scent"),
    ]),
    # Same prices and variation kinds position by position as the catalog before them, so
    # the demo's orders and money are unchanged: only what the products are changed.
    "Bath & Body": ("BB", [
        ("Aromatherapy Bath Salts Soak, 32 oz", 28, "scent"),
        ("Heated Eyelash Curler, Rechargeable", 32, "color"),
        ("Sonic Facial Cleansing Brush, Waterproof", 24, None),
        ("Plush Waffle Spa Bathrobe", 36, "color"),
        ("Lighted Travel Makeup Mirror, 10x Magnifying", 29, "color"),
        ("Quilted Makeup Bag, Travel Size (2 Pack)", 19, "color"),
        ("Spa Headband & Wristband Set", 17, "color"),
        ("Acrylic Makeup Organizer with Drawers", 26, "brush"),
        ("Bamboo Reusable Makeup Remover Pads", 22, "pack"),
        ("Dry Body Brush, Natural Bristle", 25, "brush"),
        ("Nano Ionic Facial Steamer", 39, "color"),
        ("Electric Brow & Facial Hair Trimmer", 14, "color"),
        ("Mini Skincare Fridge, 4 Liter", 34, None),
        ("Hair Wrap & Bath Towel Set", 29, "color"),
        ("Silicone Face Mask Applicator Brushes", 13, "pack"),
        ("Facial Ice Globes, Set of 2", 27, None),
        ("Rotating Perfume & Lipstick Organizer", 21, "color"),
        ("Exfoliating Bath Mitts (Set of 4)", 18, "color"),
        ("Aromatherapy Shower Steamers (12 Pack)", 15, "scent"),
        ("Silicone Body Scrubber, Double-Sided", 19, "color"),
        ("Disposable Face Towels (50 Count)", 11, "pack"),
        ("LED Light Therapy Face Mask", 59, "color"),
        ("Glass Nail File & Buffer Set", 9, "pack"),
        ("Gel Nail Polish Gift Set with Mini UV Lamp", 26, "color"),
    ]),
    "Beauty Accessories": ("BA", [
        ("Matte Claw Hair Clips, Large (4 Pack)", 12, "color"),
        ("Rose Gold Eyelash Curler", 16, "metal"),
        ("Precision Slant Tweezer Set", 18, "metal"),
        ("Cuticle Nipper & Pusher Set", 14, "metal"),
        ("Press-On Nails, Almond Medium (24 Pieces)", 15, "color"),
        ("Silk Satin Scrunchies (6 Pack)", 10, "color"),
        ("Gel Nail Polish Set (6 Colors)", 34, "color"),
        ("Nail Art Stamping Kit", 22, "color"),
        ("Long-Wear Nail Lacquer Trio", 19, "color"),
        ("Quick-Dry Glossy Nail Polish", 13, "color"),
        ("Hair Claw & Barrette Gift Set", 21, "color"),
        ("Moisturizing Gel Gloves for Dry Hands", 12, "apparel"),
        ("Adjustable Waffle Spa Wrap", 16, "apparel"),
        ("Reusable Press-On Nail Kit", 11, "nail"),
        ("Pearl Hair Pins Set (20 Pieces)", 8, None),
        ("Satin Sleep Eye Mask", 14, "color"),
        ("Hanging Toiletry Bag", 18, "color"),
        ("Personalized Initial Makeup Pouch", 24, "letter"),
        ("Silk Hair Scarf", 12, "color"),
        ("Jade & Rose Quartz Facial Massage Set", 39, "metal"),
        ("Pearl Hair Clip Trio", 15, "metal"),
        ("Terry Cloth Makeup Headband", 14, "color"),
        ("Travel Makeup Brush Roll", 16, "color"),
        ("Plush Spa Robe", 42, "apparel"),
    ]),
}

# How many SKUs a product with variations has: mostly 2-4.
_SKU_COUNT_WEIGHTS = {1: 8, 2: 22, 3: 30, 4: 24, 5: 16}

FIRST_NAMES = (
    "Emma", "Olivia", "Ava", "Sophia", "Mia", "Isabella", "Amelia", "Harper", "Evelyn", "Abigail",
    "Ella", "Madison", "Chloe", "Grace", "Lily", "Zoe", "Riley", "Nora", "Hannah", "Layla",
    "Brooklyn", "Savannah", "Kayla", "Jasmine", "Destiny", "Brianna", "Ashley", "Jessica",
    "Taylor", "Morgan", "Megan", "Lauren", "Tiffany", "Alexis", "Vanessa", "Maria", "Gabriela",
    "Camila", "Valeria", "Sofía", "Zoë", "Chloé", "Aaliyah", "Imani", "Keisha", "Mei", "Priya",
    "Anika", "Hana", "Linh", "Michael", "James", "David", "Chris", "Tyler", "Jordan", "Marcus",
    "Andre", "Kevin", "Brandon", "José", "Luis", "Ethan", "Noah", "Ryan",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Nguyen", "Patel", "Kim", "Chen", "Rivera", "Brooks", "Reed", "Bennett", "Ortiz",
)
_USERNAME_WORDS = ("beauty", "vibes", "xo", "mama", "daily", "life", "styles", "glow", "shops",
                   "official", "loves", "finds")
_CREATOR_TOPICS = ("glows", "beautytok", "homefinds", "skincarediary", "getsready", "finds",
                   "dealsdaily", "momlife", "styled", "cleanbeauty", "makeup", "hauls", "cozyhome",
                   "hairtok", "ootd", "musthaves")


@dataclass(frozen=True)
class Sku:
    sku_id: str
    seller_sku: str
    variation: str
    price_cents: int


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    category: str
    skus: tuple[Sku, ...]


class UniqueIds:
    """Random numeric IDs that never repeat within one generator run."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def new(self, prefix: str, digits: int) -> str:
        """A fresh ID of ``digits`` digits starting with ``prefix``."""
        span = 10 ** (digits - len(prefix))
        while True:
            candidate = f"{prefix}{self._rng.randrange(span):0{digits - len(prefix)}d}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate

    def claim(self, candidate: str) -> bool:
        """Reserve an ID built by the caller; False if it was already taken."""
        if candidate in self._used:
            return False
        self._used.add(candidate)
        return True


def build_catalog(rng: random.Random, ids: UniqueIds) -> list[Product]:
    """The shop's products (~120 in 5 categories), each with 1-5 SKUs priced $6.99-$89.99.

    Product IDs are 19 digits, SKU IDs 17-19 digits, as TikTok Shop US issues them.
    """
    products = []
    for category, (code, templates) in _CATEGORIES.items():
        for index, (name, base_dollars, kind) in enumerate(templates, start=1):
            product_id = ids.new("17", 19)
            skus = _skus_for(rng, ids, f"{code}-{index:03d}", base_dollars, kind)
            products.append(Product(product_id, name, category, tuple(skus)))
    return products


def _skus_for(rng: random.Random, ids: UniqueIds, code: str, base_dollars: float,
              kind: str | None) -> list[Sku]:
    if kind is None:
        return [Sku(_sku_id(ids, rng), code, "", _price_cents(base_dollars))]
    label, options, multipliers = _VARIATIONS[kind]
    count = min(len(options), rng.choices(list(_SKU_COUNT_WEIGHTS),
                                          weights=list(_SKU_COUNT_WEIGHTS.values()))[0])
    if multipliers is None:
        chosen = sorted(rng.sample(range(len(options)), count))
    else:
        chosen = list(range(count))  # sizes come in order: the small one always exists
    skus = []
    for option_index in chosen:
        option = options[option_index]
        multiplier = 1.0 if multipliers is None else multipliers[option_index]
        seller_sku = f"{code}-{re.sub('[^A-Za-z0-9]', '', option).upper()[:4]}"
        skus.append(Sku(_sku_id(ids, rng), seller_sku, f"{label}: {option}",
                        _price_cents(base_dollars * multiplier)))
    return skus


def _sku_id(ids: UniqueIds, rng: random.Random) -> str:
    # Most SKU IDs are 19 digits; older listings carry shorter ones.
    return ids.new("17", rng.choices((19, 18, 17), weights=(80, 15, 5))[0])


def _price_cents(dollars: float) -> int:
    """Retail-style price ending in .99, kept within $6.99-$89.99."""
    return min(90, max(7, round(dollars))) * 100 - 1


def buyer_username(rng: random.Random, first: str, last: str) -> str:
    """A TikTok-style username for a buyer; may collide, the caller makes it unique."""
    first_plain = _ascii_lower(first)
    last_plain = _ascii_lower(last)
    style = rng.random()
    if style < 0.25:
        return f"user{rng.randrange(10**9, 10**11)}"  # TikTok's default for new accounts
    if style < 0.5:
        return f"{first_plain}{last_plain}{rng.randrange(1, 100)}"
    if style < 0.7:
        return f"{first_plain}.{last_plain}"
    if style < 0.9:
        return f"{first_plain}_{rng.choice(_USERNAME_WORDS)}{rng.randrange(1, 1000)}"
    return f"the{first_plain}{last_plain[0]}"


def buyer_nickname(rng: random.Random, first: str, last: str) -> str:
    """The display name a buyer chose: full name, initial, or a first name alone."""
    style = rng.random()
    if style < 0.45:
        return f"{first} {last}"
    if style < 0.8:
        return f"{first} {last[0]}."
    return first


def creator_handles(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct affiliate creator handles ("maya.glows", "thejen_homefinds")."""
    handles: list[str] = []
    seen: set[str] = set()
    while len(handles) < count:
        name = _ascii_lower(rng.choice(FIRST_NAMES))
        topic = rng.choice(_CREATOR_TOPICS)
        style = rng.random()
        if style < 0.4:
            handle = f"{name}.{topic}"
        elif style < 0.7:
            handle = f"{topic}with{name}"
        else:
            handle = f"the{name}_{topic}"
        if handle not in seen:
            seen.add(handle)
            handles.append(handle)
    return handles


_TO_ASCII = str.maketrans("áéíóúë", "aeioue")
# Usernames are ASCII even when the display name is "Sofía"; looked up, not recomputed, as
# a new buyer is made for almost every order.
_PLAIN_NAMES = {name: name.lower().translate(_TO_ASCII) for name in FIRST_NAMES + LAST_NAMES}


def _ascii_lower(name: str) -> str:
    return _PLAIN_NAMES.get(name) or name.lower().translate(_TO_ASCII)
