/* casekit: load search when the reader first opens it, not with every page.
   The index is most of a page's weight (0.3 MB in English, 0.8 MB in Khmer) and the search worker script
   another 40 kB; many readers on slow connections never search. mkdocs-material already loads the index
   late when the site is opened from a folder (file://); this does the same when it is served. Two things
   are held back until the search box gets focus or the search toggle opens: material's request for the
   index (XMLHttpRequest), and its search worker: a stand-in keeps the messages sent to it, and the real
   worker, started then, gets them in order and answers material's listeners. Queries typed meanwhile run
   as soon as the index is ready (material re-reads the box then). No other request is touched. */
(function () {
  var held = [], released = false;
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  var RealWorker = window.Worker;  /* the browser's, or iframe-worker-shim.js's from a folder */
  var SEARCH_WORKER = /(^|\/)workers\/search\.[0-9a-f]+\.min\.js$/;

  function HeldWorker(url) {
    var target = new EventTarget(), queue = [], real = null;
    target.postMessage = function () {
      if (real) return real.postMessage.apply(real, arguments);
      queue.push(arguments);
    };
    target.terminate = function () { if (real) real.terminate(); };
    function start() {
      real = new RealWorker(url);
      real.addEventListener("message", function (event) {
        target.dispatchEvent(new MessageEvent("message", {data: event.data}));
      });
      queue.splice(0).forEach(function (args) { real.postMessage.apply(real, args); });
    }
    if (released) start(); else held.push(start);
    return target;
  }
  if (RealWorker) {
    window.Worker = function (url) {
      return SEARCH_WORKER.test(String(url).split("?")[0]) ? HeldWorker(url) : new RealWorker(url);
    };
    window.Worker.prototype = RealWorker.prototype;
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
