/* casekit: cut a Khmer query into the words the search index is cut into, so that a reader who types a word
   without its prefix (បញ្ជូនបន្ត) or several words as one (ទម្រង់បញ្ជូនបន្ត) finds the pages that hold them.
   The word list (with costs) is written beside each search index at build time (generator/site/search_index.py); cut()
   takes the same steps, in the same order, as SearchWords.cut in generator/site/khmer_search.py.
   The list is loaded with the first message to the search worker (when search is first opened); a query
   sent before it has arrived waits for it. Nothing else is changed. */
(function () {
  "use strict";
  var WORD_RUN = /[\u1780-\u17d3\u17db-\u17ff\u19e0-\u19ff]+/g;
  var COMBINING = /[\u17b4-\u17d3\u17dd]/;
  var COENG = "\u17d2";
  var QUERY = 2;  /* mkdocs-material's message type for a query */
  var UNKNOWN = 64;  /* as in khmer_search.py */
  var words = null, longest = 0, waiting = null;

  function starts(text) {
    var out = [];
    for (var i = 0; i <= text.length; i++) {
      if (i === 0 || i === text.length || !(COMBINING.test(text[i]) || text[i - 1] === COENG)) out.push(i);
    }
    return out;
  }

  /* the cheapest cut: each word of the list has a cost (rarer words cost more), a letter cluster that is no
     word costs UNKNOWN; a stretch of unknown letters stays one piece */
  function cut(run) {
    var s = starts(run), best = {0: 0}, back = {};
    for (var k = 1; k < s.length; k++) {
      var i = s[k];
      for (var m = 0; m < k; m++) {
        var j = s[m];
        if (!(j in best) || (i - j > longest && m !== k - 1)) continue;
        var piece = run.slice(j, i), known = Object.prototype.hasOwnProperty.call(words, piece);
        if (!known && m !== k - 1) continue;
        var cost = best[j] + (known ? words[piece] : UNKNOWN);
        if (!(i in best) || cost < best[i]) {
          best[i] = cost;
          back[i] = [j, known];
        }
      }
    }
    var pieces = [];
    for (var end = run.length; end > 0; end = back[end][0]) {
      var part = run.slice(back[end][0], end), last = pieces[pieces.length - 1];
      if (!back[end][1] && last && !last[1]) last[0] = part + last[0];
      else pieces.push([part, back[end][1]]);
    }
    return pieces.reverse().map(function (p) { return p[0]; });
  }

  /* every word of a Khmer run must be on the page (+), the last may be a beginning (*), as typed so far */
  function segment(query) {
    if (!words) return query;
    return query.replace(WORD_RUN, function (run) {
      return cut(run).map(function (word) { return "+" + word + "*"; }).join(" ");
    });
  }

  function load(done) {
    if (waiting) return waiting.push(done);
    waiting = [done];
    var config = JSON.parse(document.getElementById("__config").textContent);  /* in the body: read when used */
    var script = document.createElement("script");
    script.src = new URL("search/search_words.js", new URL(config.base, location.href)).href;
    script.onload = script.onerror = function () {
      words = typeof __casekit_words === "object" && __casekit_words ? __casekit_words : {};
      longest = Object.keys(words).reduce(function (n, w) { return Math.max(n, w.length); }, 0);
      waiting.splice(0).forEach(function (go) { go(); });
    };
    document.head.appendChild(script);
  }

  var Worker = window.Worker;
  if (!Worker) return;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var worker = this, args = arguments;
    function send() {
      if (message && message.type === QUERY && typeof message.data === "string") {
        args = [Object.assign({}, message, {data: segment(message.data)})].concat([].slice.call(args, 1));
      }
      return post.apply(worker, args);
    }
    if (words) return send();
    load(send);
  };
  window.casekitSearch = {segment: segment};
})();
