// Examiner link: the secret is in the URL fragment (#…), which the browser never sends to the server. Post it
// once with the form on this page, and take it out of the address bar and the history.
(function () {
  var secret = window.location.hash.slice(1);
  var form = document.getElementById("examiner-token-form");
  if (!secret || !form) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.token.value = decodeURIComponent(secret);
  form.submit();
})();
