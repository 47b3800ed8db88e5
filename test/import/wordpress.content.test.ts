import { describe, expect, it } from 'vitest';
import type { ImportedImage } from '../../src/import/import.model.js';
import { autop } from '../../src/import/wordpress/wordpress.autop.js';
import { parseBlocks } from '../../src/import/wordpress/wordpress.blocks.js';
import { balance, commentText, convertContent } from '../../src/import/wordpress/wordpress.content.js';

const LIBRARY: Record<string, ImportedImage> = {
  '31': { url: 'https://paper.example/wp-content/uploads/2024/05/pier.jpg', alt: 'The pier', caption: 'The pier at low tide' },
  '32': { url: 'https://paper.example/wp-content/uploads/2024/05/boats.jpg', alt: 'Boats' },
  '33': { url: 'https://paper.example/wp-content/uploads/2024/05/nets.jpg' },
};

const REUSABLE: Record<string, string> = {
  '50': '<!-- wp:paragraph -->\n<p>Subscribe to the morning briefing.</p>\n<!-- /wp:paragraph -->',
  '51': 'Classic reusable text\n\nin two paragraphs',
  '52': '<!-- wp:paragraph -->\n<p>Loop start</p>\n<!-- /wp:paragraph -->\n<!-- wp:block {"ref":52} /-->',
};

function convert(content: string, children: string[] = []) {
  const warnings: string[] = [];
  const html = convertContent(content, {
    sourceId: '7',
    attachment: (id) => LIBRARY[id],
    childAttachments: () => children.map((id) => LIBRARY[id]),
    reusable: (id) => REUSABLE[id],
    warn: (message) => warnings.push(message),
  });
  return { html, warnings };
}

const html = (content: string) => convert(content).html;

describe('classic content: paragraphs like WordPress makes them', () => {
  it('turns blank lines into paragraphs and single line breaks into <br>', () => {
    expect(html('First line\nsame paragraph\n\nSecond paragraph')).toBe('<p>First line<br>\nsame paragraph</p>\n<p>Second paragraph</p>');
  });

  it('leaves block-level HTML alone and does not wrap it in paragraphs', () => {
    expect(html('Intro\n<h2>Heading</h2>\nAfter\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>')).toBe(
      '<p>Intro</p>\n<h2>Heading</h2>\n<p>After</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>',
    );
    expect(html('<p>Already a paragraph.</p>')).toBe('<p>Already a paragraph.</p>');
    expect(html('Above\n<hr />\nBelow')).toBe('<p>Above</p>\n<hr>\n<p>Below</p>');
  });

  it('gives text inside a blockquote its paragraphs', () => {
    expect(html('<blockquote>One.\n\nTwo.</blockquote>')).toBe('<blockquote><p>One.</p>\n<p>Two.</p></blockquote>');
  });

  it('keeps <pre> exactly, line breaks and all', () => {
    expect(html('Code:\n\n<pre>a\n\n  b</pre>\n\nEnd')).toBe('<p>Code:</p>\n<pre>a\n\n  b</pre>\n<p>End</p>');
  });

  it('reads two <br>s as a paragraph break and drops the more and next-page markers', () => {
    expect(html('One<br />\n<br />\nTwo<!--more-->\n\nThree<!--nextpage-->')).toBe('<p>One</p>\n<p>Two</p>\n<p>Three</p>');
  });

  it('links a URL alone on its line (a WordPress auto-embed)', () => {
    expect(html('Watch:\n\nhttps://video.example/watch?v=1&t=2\n\nDone')).toBe(
      '<p>Watch:</p>\n<p><a href="https://video.example/watch?v=1&amp;t=2">https://video.example/watch?v=1&amp;t=2</a></p>\n<p>Done</p>',
    );
  });

  it('returns nothing for empty content', () => {
    expect(html('')).toBe('');
    expect(html('  \n\n ')).toBe('');
    expect(autop('')).toBe('');
  });
});

describe('shortcodes', () => {
  it('[caption] → figure with figcaption (caption after the image, or as an attribute)', () => {
    expect(html('[caption id="attachment_31" align="alignleft" width="300"]<img src="/u/pier.jpg" alt="Pier" /> The pier[/caption]')).toBe(
      '<figure><img src="/u/pier.jpg" alt="Pier"><figcaption>The pier</figcaption></figure>',
    );
    expect(html('[caption caption="Boats &amp; nets"]<a href="/big.jpg"><img src="/u/b.jpg" alt="" /></a>[/caption]')).toBe(
      '<figure><a href="/big.jpg"><img src="/u/b.jpg" alt=""></a><figcaption>Boats &amp;amp; nets</figcaption></figure>',
    );
  });

  it('[gallery ids=…] → the images from the media library, in order, with their captions', () => {
    const { html: out, warnings } = convert('Before\n\n[gallery ids="32,31,99" columns="3"]\n\nAfter');
    expect(out).toBe(
      '<p>Before</p>\n<figure><img src="https://paper.example/wp-content/uploads/2024/05/boats.jpg" alt="Boats"></figure>\n<figure><img src="https://paper.example/wp-content/uploads/2024/05/pier.jpg" alt="The pier"><figcaption>The pier at low tide</figcaption></figure>\n<p>After</p>',
    );
    expect(warnings).toEqual(['gallery image 99 is not in the export (left out)']);
  });

  it('[gallery] without ids → the images attached to the post', () => {
    const { html: out } = convert('[gallery]', ['33']);
    expect(out).toBe('<figure><img src="https://paper.example/wp-content/uploads/2024/05/nets.jpg" alt=""></figure>');
    expect(convert('[gallery]').warnings).toEqual(['gallery with no images found in the export (left out)']);
  });

  it('[embed], [video] and [audio] → links', () => {
    expect(html('[embed width="500"]https://video.example/watch?v=9[/embed]')).toBe(
      '<p><a href="https://video.example/watch?v=9">https://video.example/watch?v=9</a></p>',
    );
    expect(html('[video mp4="https://paper.example/clip.mp4"][/video]')).toBe(
      '<p><a href="https://paper.example/clip.mp4">https://paper.example/clip.mp4</a></p>',
    );
    expect(html('[audio src="https://paper.example/a.mp3"]')).toBe(
      '<p><a href="https://paper.example/a.mp3">https://paper.example/a.mp3</a></p>',
    );
  });

  it('keeps unknown shortcodes as text and reports each name once', () => {
    const { html: out, warnings } = convert(
      '[contact-form id="3"]\n\n[pullout]Key fact[/pullout] and [pullout]another[/pullout]\n\n[tweet 12345]',
    );
    expect(out).toBe(
      '<p>[contact-form id="3"]</p>\n<p>[pullout]Key fact[/pullout] and [pullout]another[/pullout]</p>\n<p>[tweet 12345]</p>',
    );
    expect(warnings).toEqual([
      'unknown shortcode [contact-form] kept as text',
      'unknown shortcode [pullout] kept as text',
      'unknown shortcode [tweet] kept as text',
    ]);
  });

  it('leaves ordinary square brackets in copy alone, and unescapes [[shortcode]]', () => {
    const { html: out, warnings } = convert('He said it was [sic] "fine" [1]. Write [[gallery]] to show a gallery.');
    expect(out).toBe('<p>He said it was [sic] "fine" [1]. Write [gallery] to show a gallery.</p>');
    expect(warnings).toEqual([]);
  });

  it('converts known shortcodes inside an unknown one', () => {
    const { html: out } = convert('[box_note]\n\n[embed]https://video.example/x[/embed]\n\n[/box_note]');
    expect(out).toContain('<a href="https://video.example/x">');
    expect(out).toContain('[box_note]');
  });
});

describe('block editor content', () => {
  const block = (name: string, inner: string, attrs = '') =>
    `<!-- wp:${name} ${attrs ? `${attrs} ` : ''}-->\n${inner}\n<!-- /wp:${name} -->`;

  it('parses nested and self-closing blocks with their attributes', () => {
    const pieces = parseBlocks(`intro${block('group', block('paragraph', '<p>x</p>'))}<!-- wp:latest-posts {"postsToShow":3} /-->`);
    expect(pieces).toHaveLength(3);
    expect(pieces[0]).toEqual({ freeform: 'intro' });
    const group = (pieces[1] as { block: { name: string; inner: { name: string }[] } }).block;
    expect(group.name).toBe('core/group');
    expect(group.inner.map((b) => b.name)).toEqual(['core/paragraph']);
    expect((pieces[2] as { block: { attrs: unknown } }).block.attrs).toEqual({ postsToShow: 3 });
  });

  it('paragraph and heading: the HTML without editor classes', () => {
    expect(html(block('paragraph', '<p class="has-large-font-size" style="color:red">Big <em>news</em></p>', '{"fontSize":"large"}'))).toBe(
      '<p>Big <em>news</em></p>',
    );
    expect(html(block('heading', '<h2 class="wp-block-heading" id="a">Results</h2>'))).toBe('<h2>Results</h2>');
  });

  it('lists, old (one block) and new (list-item blocks)', () => {
    expect(html(block('list', '<ol start="3"><li>three</li><li>four</li></ol>', '{"ordered":true}'))).toBe(
      '<ol start="3"><li>three</li><li>four</li></ol>',
    );
    expect(
      html(block('list', `<ul class="wp-block-list">${block('list-item', '<li>a</li>')}${block('list-item', '<li>b</li>')}</ul>`)),
    ).toBe('<ul><li>a</li><li>b</li></ul>');
  });

  it('quote and pull quote → blockquote with its citation', () => {
    expect(html(block('quote', '<blockquote class="wp-block-quote"><p>Words.</p><cite>Someone</cite></blockquote>'))).toBe(
      '<blockquote><p>Words.</p><cite>Someone</cite></blockquote>',
    );
    expect(
      html(block('pullquote', '<figure class="wp-block-pullquote"><blockquote><p>Said loudly.</p><cite>Her</cite></blockquote></figure>')),
    ).toBe('<blockquote><p>Said loudly.</p><cite>Her</cite></blockquote>');
  });

  it('image with its caption (and alt text), linked or not', () => {
    expect(
      html(
        block(
          'image',
          '<figure class="wp-block-image size-large"><a href="/big"><img src="/u/pier.jpg" alt="Pier &amp; boats" class="wp-image-31"/></a><figcaption class="wp-element-caption">Low <em>tide</em></figcaption></figure>',
          '{"id":31}',
        ),
      ),
    ).toBe('<figure><img src="/u/pier.jpg" alt="Pier &amp; boats"><figcaption>Low <em>tide</em></figcaption></figure>');
  });

  it('galleries: old (one list) and new (image blocks inside)', () => {
    const old = block(
      'gallery',
      '<figure class="wp-block-gallery"><ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><img src="/u/1.jpg" alt="One"/><figcaption class="blocks-gallery-item__caption">First</figcaption></figure></li><li class="blocks-gallery-item"><figure><img src="/u/2.jpg" alt="Two"/></figure></li></ul></figure>',
      '{"ids":[1,2]}',
    );
    expect(html(old)).toBe(
      '<figure><img src="/u/1.jpg" alt="One"><figcaption>First</figcaption></figure>\n<figure><img src="/u/2.jpg" alt="Two"></figure>',
    );
    const nested = block(
      'gallery',
      `<figure class="wp-block-gallery has-nested-images">${block('image', '<figure class="wp-block-image"><img src="/u/3.jpg" alt="Three"/></figure>', '{"id":3}')}${block('image', '<figure class="wp-block-image"><img src="/u/4.jpg" alt="Four"/><figcaption>Fourth</figcaption></figure>', '{"id":4}')}</figure>`,
    );
    expect(html(nested)).toBe(
      '<figure><img src="/u/3.jpg" alt="Three"></figure>\n<figure><img src="/u/4.jpg" alt="Four"><figcaption>Fourth</figcaption></figure>',
    );
  });

  it('a gallery block with only attachment ids uses the media library', () => {
    expect(html('<!-- wp:gallery {"ids":[32,33]} /-->')).toBe(
      '<figure><img src="https://paper.example/wp-content/uploads/2024/05/boats.jpg" alt="Boats"></figure>\n<figure><img src="https://paper.example/wp-content/uploads/2024/05/nets.jpg" alt=""></figure>',
    );
  });

  it('embeds become a link to the URL (new and old block names), with the caption after it', () => {
    expect(
      html(
        block(
          'embed',
          '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\nhttps://video.example/v/1\n</div><figcaption>The clip</figcaption></figure>',
          '{"url":"https://video.example/v/1","type":"video"}',
        ),
      ),
    ).toBe('<p><a href="https://video.example/v/1">https://video.example/v/1</a></p>\n<p>The clip</p>');
    expect(
      html(
        block(
          'core-embed/twitter',
          '<figure><div>\nhttps://social.example/status/5\n</div></figure>',
          '{"url":"https://social.example/status/5"}',
        ),
      ),
    ).toBe('<p><a href="https://social.example/status/5">https://social.example/status/5</a></p>');
  });

  it('table, preformatted, code, verse and separator', () => {
    expect(
      html(
        block(
          'table',
          '<figure class="wp-block-table"><table class="has-fixed-layout"><tbody><tr><td>a</td><td>b</td></tr></tbody></table></figure>',
        ),
      ),
    ).toBe('<figure><table><tbody><tr><td>a</td><td>b</td></tr></tbody></table></figure>');
    expect(html(block('preformatted', '<pre class="wp-block-preformatted">line 1\n   line 2</pre>'))).toBe('<pre>line 1\n   line 2</pre>');
    expect(html(block('code', '<pre class="wp-block-code"><code>if (a &lt; b) {}</code></pre>'))).toBe(
      '<pre><code>if (a &lt; b) {}</code></pre>',
    );
    expect(html(block('verse', '<pre class="wp-block-verse">Roses\n  are red</pre>'))).toBe('<pre>Roses\n  are red</pre>');
    expect(html(block('separator', '<hr class="wp-block-separator"/>'))).toBe('<hr>');
  });

  it('custom HTML is kept as written; spacers, "more" and page breaks are dropped', () => {
    expect(html(block('html', '<p>Raw <span class="x">html</span></p>\n<p>two</p>'))).toBe(
      '<p>Raw <span class="x">html</span></p>\n<p>two</p>',
    );
    expect(
      html(
        `${block('spacer', '<div style="height:40px" class="wp-block-spacer"></div>')}${block('more', '<!--more-->')}<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->`,
      ),
    ).toBe('');
  });

  it('layout blocks (group, columns) keep their content without their wrappers', () => {
    const columns = block(
      'columns',
      `<div class="wp-block-columns">${block('column', `<div class="wp-block-column">${block('paragraph', '<p>Left</p>')}</div>`)}${block('column', `<div class="wp-block-column">${block('paragraph', '<p>Right</p>')}</div>`)}</div>`,
    );
    expect(html(columns)).toBe('<p>Left</p>\n<p>Right</p>');
  });

  it('the shortcode block and classic text between blocks go through the classic path', () => {
    const { html: out, warnings } = convert(
      `Loose text\nline two\n\n${block('shortcode', '[gallery ids="31"]')}\n${block('freeform', 'Classic\n\nblock')}`,
    );
    expect(out).toBe(
      '<p>Loose text<br>\nline two</p>\n<figure><img src="https://paper.example/wp-content/uploads/2024/05/pier.jpg" alt="The pier"><figcaption>The pier at low tide</figcaption></figure>\n<p>Classic</p>\n<p>block</p>',
    );
    expect(warnings).toEqual([]);
  });

  it('reusable blocks are shown where they are used; a missing or self-containing one is reported', () => {
    const { html: out, warnings } = convert(
      '<!-- wp:block {"ref":50} /-->\n<!-- wp:block {"ref":51} /-->\n<!-- wp:block {"ref":99} /-->\n<!-- wp:block {"ref":52} /-->',
    );
    expect(out).toBe(
      '<p>Subscribe to the morning briefing.</p>\n<p>Classic reusable text</p>\n<p>in two paragraphs</p>\n<p>Loop start</p>',
    );
    expect(warnings).toEqual(['reusable block 99 is not in the export (left out)', 'reusable block 52 contains itself (shown once)']);
  });

  it('unknown blocks keep their inner HTML and are reported; dynamic ones with no HTML are left out', () => {
    const { html: out, warnings } = convert(`${block('acme/fact-box', '<div class="fact"><p>Fact: 42</p></div>')}<!-- wp:archives /-->`);
    expect(out).toBe('<div class="fact"><p>Fact: 42</p></div>');
    expect(warnings).toEqual([
      'unknown block acme/fact-box: its HTML was kept',
      'unknown block core/archives: it had no HTML and was left out',
    ]);
  });

  it('survives broken block markup: a block never closed, a stray closing comment, bad JSON', () => {
    const { html: out } = convert(
      '<!-- wp:paragraph {not json} -->\n<p>Open</p>\n<!-- /wp:heading -->\n<!-- wp:quote -->\n<blockquote><p>Never closed',
    );
    expect(out).toContain('<p>Open</p>');
    expect(out).toContain('<blockquote><p>Never closed</p></blockquote>');
  });
});

describe('output nesting and text helpers', () => {
  it('closes what the source left open and keeps emoji, RTL and entities', () => {
    expect(balance('<p>One <strong>two <em>three</p><p>four')).toBe('<p>One <strong>two <em>three</em></strong></p><p>four</p>');
    expect(html('<p dir="rtl">שלום 👋 &amp; &nbsp;done</p>')).toBe('<p dir="rtl">שלום 👋 &amp; &nbsp;done</p>');
  });

  it('never nests a block inside a paragraph', () => {
    expect(html('Text before <div>a block</div> text after')).toBe('<p>Text before</p>\n<div>a block</div>\n<p>text after</p>');
    // A list typed inside a paragraph: the paragraph ends where the list starts.
    expect(html('<p>Intro <ul><li>x</li></ul> outro</p>')).toBe('<p>Intro</p>\n<ul>\n<li>x</li>\n</ul>\n<p>outro</p>');
  });

  it('comment text: markup dropped, paragraphs kept as blank lines, entities decoded', () => {
    expect(commentText('<p>First &amp; foremost</p><p>Second<br />line</p>')).toBe('First & foremost\n\nSecond\nline');
    expect(commentText('Plain\r\n\r\n\r\n\r\ntext')).toBe('Plain\n\ntext');
  });
});

describe('hostile content', () => {
  it('finishes on long runs of unclosed markup (each piece of text is looked at a bounded number of times)', () => {
    const n = 20_000;
    const pieces = ['<!-- wp:para {"a":', '[box "', '<div class="', '<pre>', '<!-- ', '[note_x]', '<p>'];
    for (const piece of pieces) {
      const { html: out } = convert(`${piece.repeat(n)} end`);
      expect(typeof out).toBe('string');
    }
    const { warnings } = convert('[note_x]'.repeat(n));
    expect(warnings).toEqual(['unknown shortcode [note_x] kept as text']);
  });

  it('imports content nested thousands deep as plain text, and says so', () => {
    const { html: out, warnings } = convert(`${'<span><b>'.repeat(20_000)}Deep words &amp; more${'</b></span>'.repeat(20_000)}`);
    expect(out).toBe('<p>Deep words &amp; more</p>');
    expect(warnings).toEqual(['content nested too deeply to convert: imported as plain text']);
    expect(commentText(`${'<i>'.repeat(20_000)}deep`)).toBe('deep');
  });

  it('ignores placeholder marks smuggled into the text', () => {
    expect(html('a \uE0000\uE001 b\n\n[embed]https://v.example/1[/embed]')).toBe(
      '<p>a 0 b</p>\n<p><a href="https://v.example/1">https://v.example/1</a></p>',
    );
  });
});
