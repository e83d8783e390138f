import { commentText, htmlToText, isCommentKind, isScrubbed, mergeTargetOf } from './comment-text';

describe('commentText: one text whatever the fetch strategy', () => {
  it('stores body (both the comments API and comment events have it), not plain_body', () => {
    const api = {
      body: '**Fix:** see [notes](https://x.example)',
      plain_body: 'Fix: see notes',
      html_body: '<p>x</p>',
    };
    const event = { body: api.body, html_body: api.html_body };
    expect(commentText(api)).toBe(api.body);
    expect(commentText(event)).toBe(commentText(api));
  });

  it('normalises CRLF and falls back to the HTML text, then plain_body, then a call’s transcription', () => {
    expect(commentText({ body: 'a\r\nb\rc' })).toBe('a\nb\nc');
    expect(
      commentText({ body: '', html_body: '<div><p>Hello &amp; <b>welcome</b></p><p>Line<br>two &#8364;5</p></div>' }),
    ).toBe('Hello & welcome\n\nLine\ntwo €5');
    expect(commentText({ plain_body: 'plain only' })).toBe('plain only');
    expect(commentText({ body: '', data: { transcription_text: 'said on the call' } })).toBe('said on the call');
    expect(htmlToText('<ul><li>one</li><li>two</li></ul><script>x()</script>')).toBe('- one\n\n- two');
  });

  it('knows comment kinds, and not the events about comments', () => {
    expect(isCommentKind('Comment', {})).toBe(true);
    expect(isCommentKind('VoiceComment', {})).toBe(true);
    expect(isCommentKind('TpeVoiceComment', {})).toBe(true);
    expect(isCommentKind('SomeNewPartnerComment', { body: 'x' })).toBe(true);
    expect(isCommentKind('CommentPrivacyChange', { public: false })).toBe(false);
    expect(isCommentKind('CommentRedactionEvent', { body: 'x' })).toBe(false);
    expect(isCommentKind('Change', {})).toBe(false);
  });

  it('reads a merge from a comment’s via, and recognises a scrubbed ticket', () => {
    expect(mergeTargetOf({ channel: 'web', source: { rel: 'merge', to: { ticket_id: 42 }, from: {} } })).toBe(42);
    expect(mergeTargetOf({ channel: 'web', source: { rel: 'merge', from: { ticket_ids: [7] }, to: {} } })).toBeNull();
    expect(mergeTargetOf('Web form')).toBeNull();
    expect(isScrubbed({ subject: 'SCRUBBED', description: 'X' })).toBe(true);
    expect(isScrubbed({ subject: 'SCRUBBED data leak', description: 'X' })).toBe(false);
  });
});
