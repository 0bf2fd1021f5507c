import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLettering, MAX_LETTERING, readLettering } from './lettering-words.js';

describe('prompt → lettered words', () => {
  const cases: [string, string | null][] = [
    ['a logo for a coffee shop called Bean There', 'Bean There'],
    ['a neon sign saying "OPEN"', 'OPEN'],
    ["a poster titled 'Summer Nights'", 'Summer Nights'],
    ['a shop named Blue Door Books on a street', 'Blue Door Books'],
    ['a book cover titled \u201cThe Long Winter\u201d with mountains', 'The Long Winter'],
    ['a caf\u00e9 called \u2018Le Petit\u2019 in Paris', 'Le Petit'],
    ["'Bob's Burgers' storefront at night", "Bob's Burgers"],
    ['a sign that says Welcome Home, at dusk', 'Welcome Home'],
    ['a wooden sign reading Keep Out', 'Keep Out'],
    ['a dog named Rex sitting on the porch', 'Rex'],
    ['a movie poster titled The Lord of the Rings and a castle', 'The Lord of the Rings'],
    ['a bakery named sweet things by the sea', 'sweet things'],
    ['A SHOP CALLED BLUE DOOR ON A STREET', 'BLUE DOOR'],
    ['a banner saying "  happy\tbirthday  "', 'happy birthday'],
    ['a sign saying "OPEN', 'OPEN'],
    ['a sign saying "" and a road', null],
    ['a sign saying " ... "', null],
    ["the cat's hat and the dog's bone", null],
    ["rock 'n' roll at the beach", null],
    ['a girl reading a book by the lake', null],
    ['a so-called masterpiece of the alps', null],
    ['mountains at sunset', null],
    ['', null],
    ['a title saying \u0141\u00f3d\u017a \u65e5\u672c \u2615', '\u0141\u00f3d\u017a \u65e5\u672c \u2615'],
  ];
  for (const [prompt, want] of cases) {
    it(`${JSON.stringify(prompt)} → ${JSON.stringify(want)}`, () => {
      assert.equal(findLettering(prompt), want);
    });
  }

  it('cuts long text at a word boundary, and a single long word at the limit', () => {
    const long = findLettering(
      'a banner saying "happy birthday to the best friend anyone could ever have had"',
    );
    assert.equal(long, 'happy birthday to the best friend anyone');
    assert.ok(long.length <= MAX_LETTERING);
    const word = findLettering(`a sign saying "${'x'.repeat(60)}"`);
    assert.equal(word, 'x'.repeat(MAX_LETTERING));
  });

  it('tells a logo from a sign from a title, ignoring the words themselves', () => {
    assert.equal(readLettering('a logo for a coffee shop called Bean There')?.kind, 'logo');
    assert.equal(readLettering('a neon sign saying "OPEN"')?.kind, 'sign');
    assert.equal(readLettering('a shop named Blue Door Books on a street')?.kind, 'sign');
    assert.equal(readLettering('a caf\u00e9 called Le Petit')?.kind, 'sign');
    assert.equal(readLettering("a poster titled 'Summer Nights'")?.kind, 'title');
    assert.equal(readLettering('a poster titled "Neon Shop"')?.kind, 'title');
    assert.equal(readLettering('a sign reading Keep Out')?.kind, 'sign');
    assert.equal(readLettering('mountains at dawn'), null);
  });
});
