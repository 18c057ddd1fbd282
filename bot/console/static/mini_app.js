// Telegram opens the Mini App with its signed initData in the URL fragment (tgWebAppData).
// We post it to the server, which checks the signature and sets a session cookie.
(function () {
  "use strict";
  var status = document.getElementById("status");
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var initData = hash.get("tgWebAppData");
  if (!initData) {
    status.textContent = "Open this page from the bot's Console button in Telegram.";
    return;
  }
  var body = new URLSearchParams();
  body.set("initData", initData);
  fetch("auth/telegram", { method: "POST", body: body, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(function (answer) { window.location.replace(answer.next); })
    .catch(function () {
      status.textContent = "Telegram could not confirm who you are. Close this and send /console again.";
    });
})();
