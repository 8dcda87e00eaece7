/* casekit: load the search index when the reader first opens search, not with every page.
   The index is most of a page's weight (0.3 MB in English, 0.8 MB in Khmer), and many readers on
   slow connections never search. mkdocs-material already works this way when the site is opened
   from a folder (file://); this does the same when it is served. Material asks for the index with
   XMLHttpRequest; that one request is held back until the search box gets focus or the search
   toggle opens. Queries typed meanwhile run as soon as the index is ready (material re-reads the
   box then). No other request is touched. */
(function () {
  var held = [], released = false;
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.casekitSearchIndex = /(^|\/)search\/search_index\.json$/.test(String(url).split("?")[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (!request.casekitSearchIndex || released) return send.apply(request, args);
    held.push(function () { send.apply(request, args); });
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-md-component=search-query]")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-md-toggle=search]") && event.target.checked) release();
  });
  /* a page opened from a search link (?q=...) searches at once */
  if (/[?&]q=/.test(location.search)) release();
})();
