/** Words a news text abbreviates, and how an English reader says them. */

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** News-style month abbreviations (with their period), by month number from 1. */
export const MONTH_ABBREVIATIONS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Sept: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/** Titles before a name: never the end of a sentence. */
export const TITLES: Record<string, string> = {
  Mr: 'Mister',
  Mrs: 'Missus',
  Ms: 'Miz',
  Dr: 'Doctor',
  Prof: 'Professor',
  Sen: 'Senator',
  Sens: 'Senators',
  Rep: 'Representative',
  Reps: 'Representatives',
  Gov: 'Governor',
  Gen: 'General',
  Lt: 'Lieutenant',
  Col: 'Colonel',
  Capt: 'Captain',
  Sgt: 'Sergeant',
  Cpl: 'Corporal',
  Adm: 'Admiral',
  Maj: 'Major',
  Rev: 'Reverend',
  Pres: 'President',
  Supt: 'Superintendent',
  Det: 'Detective',
  Insp: 'Inspector',
  Atty: 'Attorney',
  Hon: 'Honorable',
  Fr: 'Father',
  Msgr: 'Monsignor',
  Mt: 'Mount',
  Ft: 'Fort',
};

/** Abbreviations that may end a sentence (a following capital does not prove a new sentence). */
export const ABBREVIATIONS: Record<string, string> = {
  Jr: 'Junior',
  Sr: 'Senior',
  Inc: 'Incorporated',
  Corp: 'Corporation',
  Co: 'Company',
  Ltd: 'Limited',
  Bros: 'Brothers',
  Ave: 'Avenue',
  Blvd: 'Boulevard',
  Rd: 'Road',
  Hwy: 'Highway',
  Pl: 'Place',
  Sq: 'Square',
  Dept: 'Department',
  Univ: 'University',
  Assn: 'Association',
  Govt: 'Government',
  approx: 'approximately',
  est: 'estimated',
  vs: 'versus',
  etc: 'et cetera',
};

/** US states as news style abbreviates them after a city ("Portland, Ore."). */
export const STATES: Record<string, string> = {
  Ala: 'Alabama',
  Ariz: 'Arizona',
  Ark: 'Arkansas',
  Calif: 'California',
  Colo: 'Colorado',
  Conn: 'Connecticut',
  Del: 'Delaware',
  Fla: 'Florida',
  Ga: 'Georgia',
  Ill: 'Illinois',
  Ind: 'Indiana',
  Kan: 'Kansas',
  Ky: 'Kentucky',
  La: 'Louisiana',
  Md: 'Maryland',
  Mass: 'Massachusetts',
  Mich: 'Michigan',
  Minn: 'Minnesota',
  Miss: 'Mississippi',
  Mo: 'Missouri',
  Mont: 'Montana',
  Neb: 'Nebraska',
  Nev: 'Nevada',
  Okla: 'Oklahoma',
  Ore: 'Oregon',
  Pa: 'Pennsylvania',
  Tenn: 'Tennessee',
  Vt: 'Vermont',
  Va: 'Virginia',
  Wash: 'Washington',
  Wis: 'Wisconsin',
  Wyo: 'Wyoming',
};

/** Dotted lower-case abbreviations, read as these words. */
export const DOTTED_WORDS: Record<string, string> = {
  'e.g.': 'for example',
  'i.e.': 'that is',
  'a.k.a.': 'also known as',
  'et al.': 'and others',
};

/**
 * Capitalised abbreviations without periods that are said letter by letter ("C E O"). A synthesiser
 * would try to read some of them as words. The site's pronunciation lexicon extends this list.
 */
export const SPELLED: string[] = (
  'US UK EU UN USA UAE NYC GOP CEO CEOs CFO COO AI IMF FBI CIA NSA BBC CNN NHS GDP IPO ECB WTO ' +
  'IRS DOJ EPA FDA CDC SEC FTC MP MPs MEP MEPs PM ID IDs TV PC UFO ATM DNA HIV GPS SUV EV EVs ' +
  'NFL NBA MLB NHL ICC ICJ IAEA IEA OECD BP HSBC IBM NGO NGOs FAQ VAT GMT BST UTC EST PST CST ' +
  'LGBT LGBTQ AP PR CO2 ANC MIT UCLA NYU USC LSE AFP'
).split(' ');

/**
 * All-capital abbreviations said as words: written with one capital so the synthesiser does not
 * spell them. ("NATO" → "Nato"). The lexicon can add more.
 */
export const WORD_ACRONYMS: Record<string, string> = {
  NATO: 'Nato',
  NASA: 'Nasa',
  UNESCO: 'Unesco',
  UNICEF: 'Unicef',
  OPEC: 'Opec',
  COP: 'Cop',
  FIFA: 'Fifa',
  UEFA: 'Uefa',
  NAFTA: 'Nafta',
  ASEAN: 'Asean',
  AIDS: 'Aids',
  COVID: 'Covid',
  OFCOM: 'Ofcom',
  OFSTED: 'Ofsted',
  ACAS: 'Acas',
  NIMBY: 'Nimby',
  SWAT: 'Swat',
  LASER: 'laser',
  RADAR: 'radar',
  SCOTUS: 'Scotus',
  FEMA: 'Fema',
  ICE: 'Ice',
  OSHA: 'Osha',
  NOAA: 'Noah',
  MAX: 'Max',
  INTERPOL: 'Interpol',
  EUROPOL: 'Europol',
};

/** Titles before a monarch's or pope's name, whose Roman numeral is an ordinal ("Pope Leo XIV" → "the fourteenth"). */
export const REGNAL_TITLES = 'King Queen Pope Emperor Empress Tsar Czar Prince Princess Sultan Shah Kaiser Duke'.split(' ');

/** Aircraft and other makers whose model numbers are read digit by digit ("Boeing 747" → "seven four seven"). */
export const MODEL_MAKERS = ['Boeing', 'Airbus', 'Embraer', 'Bombardier', 'Tupolev', 'Antonov', 'Ilyushin', 'Sukhoi', 'Cessna', 'Lockheed'];

/** Currencies written with a country prefix before "$" ("US$5bn"). */
export const DOLLAR_PREFIXES: Record<string, string> = {
  US: 'US',
  A: 'Australian',
  AU: 'Australian',
  C: 'Canadian',
  CA: 'Canadian',
  NZ: 'New Zealand',
  HK: 'Hong Kong',
  S: 'Singapore',
  NT: 'New Taiwan',
};

/** Words that, after an amount ("$5 million …"), show it is a quantity and not an adjective ("a $5 million budget"). */
export const NOT_A_NOUN = new Set(
  (
    'a an the of in on at to for from by with per each and or but as than that which who was is are were be been will ' +
    'would could should may might can has have had last this next every over under into after before during since until ' +
    'while when where if so not also more less yesterday today tomorrow ago annually a-year apiece worth'
  ).split(' '),
);

/** Verbs that follow a year at the start of a clause ("2024 was a hard year"): the number is a year, not a count. */
export const YEAR_VERBS = new Set(
  'was is has does says marks saw sees seems looks brings remains proves comes goes gets makes begins ends promises means shows will had'.split(
    ' ',
  ),
);

/** Words after "5m" that show metres, not millions ("a 5m wall" vs "1m people"). */
export const LENGTH_WORDS = new Set(
  'tall high long deep wide away from above below under across thick wall dash sprint race fall drop'.split(' '),
);

/** Units after a number: [singular, plural]. */
export const UNITS: Record<string, [string, string]> = {
  km: ['kilometer', 'kilometers'],
  'km/h': ['kilometer per hour', 'kilometers per hour'],
  kph: ['kilometer per hour', 'kilometers per hour'],
  mph: ['mile per hour', 'miles per hour'],
  mi: ['mile', 'miles'],
  m: ['meter', 'meters'],
  cm: ['centimeter', 'centimeters'],
  mm: ['millimeter', 'millimeters'],
  kg: ['kilogram', 'kilograms'],
  g: ['gram', 'grams'],
  lb: ['pound', 'pounds'],
  lbs: ['pounds', 'pounds'],
  oz: ['ounce', 'ounces'],
  ft: ['foot', 'feet'],
  sq: ['square', 'square'],
  MW: ['megawatt', 'megawatts'],
  GW: ['gigawatt', 'gigawatts'],
  kW: ['kilowatt', 'kilowatts'],
  kWh: ['kilowatt hour', 'kilowatt hours'],
  MWh: ['megawatt hour', 'megawatt hours'],
  GB: ['gigabyte', 'gigabytes'],
  MB: ['megabyte', 'megabytes'],
  T: ['tesla', 'tesla'],
};

export const CURRENCIES: Record<string, { one: string; many: string; cent: string; cents: string }> = {
  $: { one: 'dollar', many: 'dollars', cent: 'cent', cents: 'cents' },
  '£': { one: 'pound', many: 'pounds', cent: 'penny', cents: 'pence' },
  '€': { one: 'euro', many: 'euros', cent: 'cent', cents: 'cents' },
  '¥': { one: 'yen', many: 'yen', cent: 'sen', cents: 'sen' },
};

export const SCALE_WORDS: Record<string, string> = {
  thousand: 'thousand',
  million: 'million',
  billion: 'billion',
  trillion: 'trillion',
  k: 'thousand',
  m: 'million',
  mn: 'million',
  bn: 'billion',
  b: 'billion',
  tn: 'trillion',
};

/** Words that commonly open a sentence: after "U.S." or "Inc." they show that the sentence ended. */
export const SENTENCE_STARTERS = new Set(
  'The A An He She It They We I You But And Or So Yet In On At By For From With This That These Those There Then Still Its His Her Their Our Officials Police Critics Some Many Most Meanwhile However After Before When While If As Last Next Earlier Later Now Today Yesterday'.split(
    ' ',
  ),
);
