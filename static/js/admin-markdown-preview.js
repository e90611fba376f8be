/* Markdown preview in the editors' admin: sends the text of the field to the server, which
   renders and sanitizes it exactly like the public pages, and shows the result below the
   field. Without JavaScript the preview of the saved text is shown anyway. */
"use strict";

(function () {
  const FALLBACK =
    "Die Vorschau konnte nicht geladen werden. Bitte speichern Sie den Text oder versuchen Sie es erneut.";

  function csrfToken(form) {
    const input = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    return input ? input.value : "";
  }

  function showMessage(output, text) {
    const paragraph = document.createElement("p");
    paragraph.className = "markdown-preview__error";
    paragraph.textContent = text;
    output.replaceChildren(paragraph);
  }

  function refresh(button) {
    const field = button.closest(".markdown-field");
    const source = field.querySelector("textarea");
    const output = field.querySelector(".markdown-preview__output");
    const body = new FormData();
    body.append("text", source.value);
    output.setAttribute("aria-busy", "true");
    fetch(button.dataset.markdownPreviewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(button.form) },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            showMessage(output, data.error || FALLBACK);
            return;
          }
          // Sanitized on the server by the same allow-list as every public page.
          output.innerHTML = data.html;
        });
      })
      .catch(function () {
        // Network error, or an HTML answer such as the login page after the session ended.
        showMessage(output, FALLBACK);
      })
      .finally(function () {
        output.removeAttribute("aria-busy");
      });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-markdown-preview-url]");
    if (button) {
      event.preventDefault();
      refresh(button);
    }
  });
})();
