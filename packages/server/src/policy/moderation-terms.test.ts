// The term list: good, bad, huge and corrupt files, and whole-word, case-insensitive matching.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TERM_FILE_BYTES, TermListError, matchTerms, parseTermList } from './moderation-terms.js';

describe('moderation term list', () => {
  const list = parseTermList(
    ['# words and patterns', '', 'Gore', '  blood-bath  ', '/\\bkill\\w*/', '/sn[a4]ke/i', '# tail'].join(
      '\n',
    ),
  );

  it('parses words, phrases and patterns and skips comments and blanks', () => {
    assert.deepEqual([...list.phrases], ['gore', 'blood bath']);
    assert.equal(list.maxWords, 2);
    assert.equal(list.patterns.length, 2);
    assert.ok(list.patterns.every((p) => p.flags.includes('i')));
  });

  it('matches plain terms whole-word and case-insensitively', () => {
    assert.equal(matchTerms(list, 'a scene of GORE at dawn'), 'gore');
    assert.equal(matchTerms(list, 'gore.'), 'gore');
    assert.equal(matchTerms(list, 'a Blood bath'), 'blood bath');
    assert.equal(matchTerms(list, 'a blood_bath'), 'blood bath');
    assert.equal(matchTerms(list, 'a gorge in the mountains'), null);
    assert.equal(matchTerms(list, 'gored'), null);
    assert.equal(matchTerms(list, 'blood on a bath'), null);
  });

  it('matches patterns as regular expressions, always case-insensitive', () => {
    assert.equal(matchTerms(list, 'KILLER whale'), '/\\bkill\\w*/');
    assert.equal(matchTerms(list, 'a sn4ke'), '/sn[a4]ke/');
    assert.equal(matchTerms(list, 'a quiet lake'), null);
  });

  it('accepts CRLF files and non-Latin words', () => {
    const l = parseTermList('\r\nдракон\r\n');
    assert.equal(matchTerms(l, 'Красный ДРАКОН'), 'дракон');
  });

  it('refuses bad files with the line that broke them', () => {
    assert.throws(
      () => parseTermList('ok\n/(unclosed/\n'),
      (e: unknown) => {
        assert.ok(e instanceof TermListError);
        assert.match(e.message, /^line 2: /);
        return true;
      },
    );
    assert.throws(() => parseTermList('/x/g'), /line 1: pattern flags/);
    assert.throws(() => parseTermList('a\n---\n'), /line 2: .* no letters or digits/);
  });

  it('refuses corrupt (binary, non-UTF-8) files', () => {
    const corrupt = Buffer.from([0x67, 0x6f, 0xff, 0xfe, 0x00, 0x0a]).toString('utf8');
    assert.throws(() => parseTermList(corrupt), /not UTF-8 text/);
  });

  it('matches a huge list quickly and refuses one past the size cap', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => `term${i} extra${i}`).join('\n');
    const started = Date.now();
    const big = parseTermList(`${many}\nneedle`);
    const prompt = 'word '.repeat(2000) + 'NEEDLE';
    assert.equal(matchTerms(big, prompt), 'needle');
    assert.equal(matchTerms(big, 'term7 extra8'), null);
    assert.equal(matchTerms(big, 'term7 extra7'), 'term7 extra7');
    assert.ok(Date.now() - started < 5000, 'a huge list stays fast');
    assert.throws(() => parseTermList('x'.repeat(MAX_TERM_FILE_BYTES + 1)), /larger than/);
  });
});
