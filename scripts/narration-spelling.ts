/**
 * British spellings as the recogniser writes them: its dictionary and language model are
 * American, so "centre" spoken is written "center". The same word either way, so the scorer
 * writes both sides in one spelling (only words whose two spellings sound the same).
 */
const WORDS: Record<string, string> = {
  centre: 'center',
  metre: 'meter',
  kilometre: 'kilometer',
  centimetre: 'centimeter',
  millimetre: 'millimeter',
  litre: 'liter',
  theatre: 'theater',
  fibre: 'fiber',
  calibre: 'caliber',
  manoeuvre: 'maneuver',
  programme: 'program',
  catalogue: 'catalog',
  analogue: 'analog',
  defence: 'defense',
  offence: 'offense',
  licence: 'license',
  pretence: 'pretense',
  grey: 'gray',
  tyre: 'tire',
  cheque: 'check',
  jewellery: 'jewelry',
  sceptic: 'skeptic',
  sceptical: 'skeptical',
  ageing: 'aging',
  judgement: 'judgment',
  mould: 'mold',
  plough: 'plow',
  pyjamas: 'pajamas',
};

// -our → -or (colour, labour, …), with the endings they take.
const OUR =
  /^(col|fav|lab|neighb|hon|behavi|harb|hum|rum|vig|flav|sav|arm|endeav|od|vap|tum|parl|val|glam|rig)our(s|ed|ing|ite|ites|able|er|ers|hood)?$/;
// -ise → -ize (organise, privatise, …), with the endings they take; "rise", "promise", "exercise" and the like are not in the list.
const ISE =
  /^(organ|recogn|apolog|critic|real|privat|priorit|stabil|mobil|author|emphas|final|minim|maxim|summar|util|normal|modern|special|capital|subsid|harmon|jeopard|symbol|sympath|categor|character|legal|legitim|monopol|optim|polar|terror|civil|colon|democrat|digit|immun|marginal|neutral|revolution|standard|visual|hospital|industrial|computer|familiar|global|central|energ|agon|fertil|sanit|stigmat|scrutin|synchron|vandal|equal|penal|rational|local|national|public)is(e|ed|es|ing|ation|ations|er|ers)$/;
// -yse → -yze (analyse, paralyse).
const YSE = /^(anal|paral|catal)ys(e|ed|es|ing)$/;
// Doubled l before an ending (travelled, cancelling, modelling).
const LL =
  /^(travel|cancel|label|model|fuel|signal|channel|counsel|total|level|marshal|tunnel|duel|jewel|quarrel|rival|dial|pedal|shovel|snorkel)l(ed|ing|er|ers)$/;

export function americanSpelling(word: string): string {
  if (WORDS[word]) return WORDS[word];
  if (word.endsWith('s') && WORDS[word.slice(0, -1)]) return `${WORDS[word.slice(0, -1)]}s`;
  return word
    .replace(OUR, (_m, stem: string, end = '') => `${stem}or${end}`)
    .replace(ISE, (_m, stem: string, end: string) => `${stem}iz${end}`)
    .replace(YSE, (_m, stem: string, end: string) => `${stem}yz${end}`)
    .replace(LL, (_m, stem: string, end: string) => `${stem}${end}`);
}
