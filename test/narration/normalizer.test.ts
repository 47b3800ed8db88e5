import { describe, expect, it } from 'vitest';
import { cardinal, ordinal, year } from '../../src/narration/numbers.speller.js';
import { splitSentences } from '../../src/narration/sentence.splitter.js';
import { speakable } from '../../src/narration/text.normalizer.js';

// Real news style, as written → as a person reads it aloud.
const CASES: [string, string][] = [
  // cardinals and decimals
  ['The council has 12 members.', 'The council has twelve members.'],
  ['About 1,200 people came.', 'About one thousand two hundred people came.'],
  ['It rose 3.5 points.', 'It rose three point five points.'],
  ['Turnout was 0.25 higher.', 'Turnout was zero point two five higher.'],
  ['A crowd of 45,000 watched.', 'A crowd of forty-five thousand watched.'],
  ['It costs 3.5 million.', 'It costs three point five million.'],
  ['The 101 bus is late.', 'The one hundred one bus is late.'],
  ['Temperatures fell to -5 overnight.', 'Temperatures fell to minus five overnight.'],
  // ordinals
  ['She finished 1st.', 'She finished first.'],
  ['The 22nd floor.', 'The twenty-second floor.'],
  ['Their 3rd win.', 'Their third win.'],
  ['The 19th century.', 'The nineteenth century.'],
  ['The 100th anniversary.', 'The one hundredth anniversary.'],
  // years and decades
  ['The plan runs until 2026.', 'The plan runs until twenty twenty-six.'],
  ['In 1990 the port closed.', 'In nineteen ninety the port closed.'],
  ['It opened in 2005.', 'It opened in two thousand five.'],
  ['Built in 1905.', 'Built in nineteen oh five.'],
  ['The 2026 budget passed.', 'The twenty twenty-six budget passed.'],
  ['In 2000 it changed.', 'In two thousand it changed.'],
  ['He ran 1500 meters.', 'He ran one thousand five hundred meters.'],
  ['Prices of the 1990s.', 'Prices of the nineteen nineties.'],
  ["Music of the '80s.", 'Music of the eighties.'],
  ['From 2019-2021 it grew.', 'From twenty nineteen to twenty twenty-one it grew.'],
  ['The 2019-21 season.', 'The twenty nineteen to twenty twenty-one season.'],
  // percentages
  ['Inflation slowed to 2.4%.', 'Inflation slowed to two point four percent.'],
  ['A 12% rise.', 'A twelve percent rise.'],
  ['Support fell 5 percent.', 'Support fell five percent.'],
  // currency
  ['The $412 million budget.', 'The four hundred twelve million dollar budget.'],
  ['It costs $12.50.', 'It costs twelve dollars and fifty cents.'],
  ['A $1 fee.', 'A one dollar fee.'],
  ['A $1.5bn deal.', 'A one point five billion dollar deal.'],
  ['Fares rise to £3.', 'Fares rise to three pounds.'],
  ['A €20 million grant.', 'A twenty million euro grant.'],
  ['Only $0.50 each.', 'Only fifty cents each.'],
  ['Spending of $1,250,000.', 'Spending of one million two hundred fifty thousand dollars.'],
  ['It cost 99¢.', 'It cost ninety-nine cents.'],
  // ranges and scores
  ['The council voted 7-2.', 'The council voted seven to two.'],
  ['They won 3–1.', 'They won three to one.'],
  ['Read pages 10-12.', 'Read pages ten to twelve.'],
  // dates
  ['The meeting was on Oct. 5.', 'The meeting was on October fifth.'],
  ['It closes December 12.', 'It closes December twelfth.'],
  ['Voting ends Nov. 3, 2026.', 'Voting ends November third, twenty twenty-six.'],
  ['Born on 5 October 1970.', 'Born on the fifth of October nineteen seventy.'],
  ['Updated 2026-11-20.', 'Updated November twentieth, twenty twenty-six.'],
  ['Since Sept. 2024 prices fell.', 'Since September twenty twenty-four prices fell.'],
  ['On March 1st it opens.', 'On March first it opens.'],
  // times
  ['Polls open at 6 a.m.', 'Polls open at six A M.'],
  ['The vote came at 11:45 p.m.', 'The vote came at eleven forty-five P M.'],
  ['Doors open at 7:05 pm.', 'Doors open at seven oh five P M.'],
  ['Kickoff is at 10:00.', "Kickoff is at ten o'clock."],
  // abbreviations and titles
  ['The U.S. economy grew.', 'The U S economy grew.'],
  ['Sen. Maria Lopez spoke.', 'Senator Maria Lopez spoke.'],
  ['Dr. Amy Chen led the study.', 'Doctor Amy Chen led the study.'],
  ['They met on Main St. yesterday.', 'They met on Main Street yesterday.'],
  ["St. Mary's Hospital opened.", "Saint Mary's Hospital opened."],
  ['A shop on Fifth Ave. closed.', 'A shop on Fifth Avenue closed.'],
  ['Gov. Ruiz and Rep. Hale agreed.', 'Governor Ruiz and Representative Hale agreed.'],
  ['Acme Inc. said no.', 'Acme Incorporated said no.'],
  ['Officials in Portland, Ore. agreed.', 'Officials in Portland, Oregon agreed.'],
  ['The U.N. met, e.g. on climate.', 'The U N met, for example on climate.'],
  ['The US and the EU agreed.', 'The U S and the E U agreed.'],
  ['Mr. Tolland, the No. 2 official.', 'Mister Tolland, the number two official.'],
  ['Smith vs. Jones.', 'Smith versus Jones.'],
  // letters with a number, regnal numbers
  ['Leaders of the G20 met.', 'Leaders of the G twenty met.'],
  ['The COP28 summit and 5G masts.', 'The Cop twenty-eight summit and five G masts.'],
  ['Q3 profits rose.', 'Q three profits rose.'],
  ['King Mohammed VI and Queen Elizabeth II.', 'King Mohammed the sixth and Queen Elizabeth the second.'],
  ['Pope Leo XIV spoke after World War II films.', 'Pope Leo the fourteenth spoke after World War two films.'],
  // initials
  ['J.R.R. Tolkien wrote it.', 'J R R Tolkien wrote it.'],
  ['James T. Kirk spoke.', 'James T Kirk spoke.'],
  // URLs and emails
  ['Write to news@example.org today.', 'Write to news at example dot org today.'],
  ['See https://www.example.org/budget for more.', 'See w w w dot example dot org slash budget for more.'],
  ['Visit gazette.org now.', 'Visit gazette dot org now.'],
  // symbols, units
  ['Smith & Sons.', 'Smith and Sons.'],
  ['It reached 72°F.', 'It reached seventy-two degrees Fahrenheit.'],
  ['A 5 km run.', 'A five kilometers run.'],
  ['Winds of 60 mph.', 'Winds of sixty miles per hour.'],
  ['A 100m sprint.', 'A one hundred meters sprint.'],
  ['About 3/4 of voters.', 'About three quarters of voters.'],
  ['A 1/2 share.', 'A one half share.'],
  ['Open 24/7 now.', 'Open twenty-four seven now.'],
  ['Yes and/or no.', 'Yes and or no.'],
  // quotes, dashes, parentheses as pauses
  ['She said "we will win" today.', 'She said, we will win, today.'],
  ['“We are ready,” she said.', 'We are ready, she said.'],
  ['The plan — finally — passed.', 'The plan, finally, passed.'],
  ['The levy (a new tax) passed.', 'The levy, a new tax, passed.'],
  ["It's the mayor's plan.", "It's the mayor's plan."],
  ['"We will see." — Lena Farkas, chief of staff.', 'We will see, Lena Farkas, chief of staff.'],
  // headings and list items get a closing pause
  ['What happens next', 'What happens next.'],
  ['Early voting', 'Early voting.'],
];

// Cases news copy is full of: dates, ranges, phones, models, scales, times, abbreviations, shouting.
const MORE_CASES: [string, string][] = [
  ['The deadline is 30/11.', 'The deadline is November thirtieth.'],
  ['Filed on 11/30/2026.', 'Filed on November thirtieth, twenty twenty-six.'],
  ['It is due 5/11.', 'It is due May eleventh.'],
  ['The festival runs June 3-5.', 'The festival runs June third to fifth.'],
  ['Bolts of 10-12 mm.', 'Bolts of ten to twelve millimeters.'],
  ['Call 0800 123 4567 now.', 'Call zero eight zero zero, one two three, four five six seven now.'],
  ['Call 1-800-555-0199 today.', 'Call one, eight zero zero, five five five, zero one nine nine today.'],
  ['Dial (555) 123-4567.', 'Dial five five five, one two three, four five six seven.'],
  ['A Boeing 747 landed.', 'A Boeing seven four seven landed.'],
  ['The 737 MAX was grounded.', 'The seven three seven Max was grounded.'],
  ['An Airbus A320 took off.', 'An Airbus A three twenty took off.'],
  ['2024 was a hard year.', 'twenty twenty-four was a hard year.'],
  ['2024 runners took part.', 'two thousand twenty-four runners took part.'],
  ['Talks start at 15:00 GMT.', 'Talks start at three P M G M T.'],
  ['Talks end at 18:30.', 'Talks end at six thirty P M.'],
  ['It raised $1m.', 'It raised one million dollars.'],
  ['They have 1bn users.', 'They have one billion users.'],
  ['About 1.5m people voted.', 'About one point five million people voted.'],
  ['Sales rose 2.5x.', 'Sales rose two point five times.'],
  ['A US$5bn loan.', 'A five billion U S dollar loan.'],
  ['It borrowed US$5bn last year.', 'It borrowed five billion U S dollars last year.'],
  ['Doors open at 10.30am.', 'Doors open at ten thirty A M.'],
  ['The CEO of the IMF met the FBI.', 'The C E O of the I M F met the F B I.'],
  ['The AI boom.', 'The A I boom.'],
  ['A warning from the WHO came.', 'A warning from the W H O came.'],
  ['Who said that?', 'Who said that?'],
  ['WHO Backs Second Malaria Vaccine', 'W H O Backs Second Malaria Vaccine.'],
  ['WHO warns of a new wave.', 'W H O warns of a new wave.'],
  ['WHO CARES?', 'WHO CARES?'],
  ['OPEC+ Extends Cuts', 'Opec plus Extends Cuts.'],
  ['The OPEC+ group met.', 'The Opec plus group met.'],
  ['It streams on Disney+, not Netflix.', 'It streams on Disney plus, not Netflix.'],
  ['She writes C++.', 'She writes C plus plus.'],
  ['Rated 18+ only.', 'Rated eighteen plus only.'],
  ['NATO, NASA and UNESCO met.', 'Nato, Nasa and Unesco met.'],
  ['TELL US WHAT YOU THINK', 'Tell Us What You Think.'],
  ['FBI AGENTS RAID OFFICE', 'F B I Agents Raid Office.'],
  ['The US, UK, EU leaders met.', 'The U S, U K, E U leaders met.'],
  ['$4.1 Billion Budget Approved', 'four point one billion dollar Budget Approved.'],
  ['It raised $5 million from investors.', 'It raised five million dollars from investors.'],
  ['Two MPs voted.', 'Two M Ps voted.'],
];

const BRITISH_CASES: [string, string][] = [
  ['The deadline is 30/11.', 'The deadline is the thirtieth of November.'],
  ['It is due 5/11.', 'It is due the fifth of November.'],
  ['The fair runs 3-5 June.', 'The fair runs the third to fifth of June.'],
  ['Bolts of 10-12 mm.', 'Bolts of ten to twelve millimetres.'],
];

describe('more news cases', () => {
  it.each(MORE_CASES)('%s', (written, spoken) => expect(speakable(written, 'en-US')).toBe(spoken));
  it.each(BRITISH_CASES)('en-GB: %s', (written, spoken) => expect(speakable(written, 'en-GB')).toBe(spoken));
});

describe('text normaliser', () => {
  it('has a real table of cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CASES)('%s', (written, spoken) => {
    expect(speakable(written)).toBe(spoken);
  });
});

describe('number words', () => {
  it.each([
    [0, 'zero'],
    [15, 'fifteen'],
    [40, 'forty'],
    [999, 'nine hundred ninety-nine'],
    [1_000_001, 'one million one'],
  ])('cardinal %s', (n, w) => expect(cardinal(n)).toBe(w));
  it.each([
    [2, 'second'],
    [12, 'twelfth'],
    [20, 'twentieth'],
    [101, 'one hundred first'],
  ])('ordinal %s', (n, w) => expect(ordinal(n)).toBe(w));
  it.each([
    [1066, 'ten sixty-six'],
    [1900, 'nineteen hundred'],
    [2010, 'twenty ten'],
  ])('year %s', (n, w) => expect(year(n)).toBe(w));
});

describe('sentence splitter', () => {
  const split = (t: string) => splitSentences(t).map((s) => s.text);
  it.each([
    ['One. Two! Three?', ['One.', 'Two!', 'Three?']],
    ['Dr. Chen spoke. Then she left.', ['Dr. Chen spoke.', 'Then she left.']],
    ['The U.S. Senate voted. The House did not.', ['The U.S. Senate voted.', 'The House did not.']],
    ['He lives in the U.S. The rest live abroad.', ['He lives in the U.S.', 'The rest live abroad.']],
    ['It opens Oct. 5 at 6 a.m. Doors close at noon.', ['It opens Oct. 5 at 6 a.m.', 'Doors close at noon.']],
    ['James T. Kirk arrived. He waved.', ['James T. Kirk arrived.', 'He waved.']],
    ['"We won," she said. "Again."', ['"We won," she said.', '"Again."']],
    ['Growth was 2.5 percent. It slowed.', ['Growth was 2.5 percent.', 'It slowed.']],
  ])('%s', (text, expected) => expect(split(text)).toEqual(expected));

  it('keeps offsets into the original text', () => {
    const text = 'First one.  Second one.';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});
