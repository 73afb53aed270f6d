// Lab 10 · The quotations the service hands out, one per validated QUOTE, in
// turn. RFC 865 asks only that a quote be under 512 characters, preferably of
// printable ASCII; these are 200 to 511 bytes of plain ASCII, all in the
// public domain. This file is data: nothing in it needs changing.

export const QUOTES: readonly string[] = [
  'It was the best of times, it was the worst of times, it was the age of ' +
    'wisdom, it was the age of foolishness, it was the epoch of belief, it ' +
    'was the epoch of incredulity, it was the season of Light, it was the ' +
    'season of Darkness, it was the spring of hope, it was the winter of ' +
    'despair. -- Charles Dickens, A Tale of Two Cities (1859)',
  'Four score and seven years ago our fathers brought forth on this ' +
    'continent, a new nation, conceived in Liberty, and dedicated to the ' +
    'proposition that all men are created equal. -- Abraham Lincoln, ' +
    'the Gettysburg Address (1863)',
  'There is grandeur in this view of life, with its several powers, having ' +
    'been originally breathed into a few forms or into one; and that, whilst ' +
    'this planet has gone cycling on according to the fixed law of gravity, ' +
    'from so simple a beginning endless forms most beautiful and most ' +
    'wonderful have been, and are being, evolved. -- Charles Darwin, On the ' +
    'Origin of Species (1859)',
];
