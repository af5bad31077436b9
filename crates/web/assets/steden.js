// Keyboard and screen-reader users after an htmx swap (WCAG 2.4.3 focus order, 4.1.3 status
// messages). Pages work without this script: every hx-get has an href to the same content.
//
// A trigger with data-focus-new="ID" replaces a block (outerHTML) with a new one of id ID:
// the trigger itself disappears, so focus would fall back to <body>. Focus moves to the first
// new link in the new block instead, and data-announce is read out in #swap-status, a polite
// live region in base.html that no swap replaces.
(function () {
  var pending = null;
  // Noted when the request starts, while the trigger is still in the document.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    pending = elt && elt.getAttribute('data-focus-new')
      ? { id: elt.getAttribute('data-focus-new'), text: elt.getAttribute('data-announce') || '' }
      : null;
  });
  // afterSettle fires when the new content is in place (on the body when the trigger is gone);
  // the focus moves a tick later, after htmx's own focus handling.
  document.addEventListener('htmx:afterSettle', function () {
    var wanted = pending;
    pending = null;
    if (!wanted) {
      return;
    }
    setTimeout(function () {
      var block = document.getElementById(wanted.id);
      if (!block) {
        return;
      }
      // The first new item: a link in an item nested in the block (the block's own line is
      // not new). :scope, since a selector is matched against the whole document.
      var first = block.querySelector(':scope li a[href]') || block.querySelector('a[href]');
      if (first) {
        first.focus();
      }
      var status = document.getElementById('swap-status');
      if (status) {
        status.textContent = wanted.text;
      }
    }, 0);
  });
})();
