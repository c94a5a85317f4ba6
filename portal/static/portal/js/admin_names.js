/* Accessible names for controls Wagtail 8.0 renders without one (found by axe in
   tests/browser/test_admin_walk.py), added as Wagtail builds them:
   - a tag field: tag-it hides the input its <label> names and types into its own;
   - the multiple image and document upload: the file input sits under the button
     that says what it does;
   - the minimap's list, which scrolls but holds only links out of the tab order;
   - the new-user form's link to the roles tab, a role=tab outside any tablist. */
(() => {
  const labelId = (label) => {
    if (!label.id) label.id = `${label.htmlFor || 'field'}-label`;
    return label.id;
  };

  const name = () => {
    document
      .querySelectorAll('.tagit input.ui-autocomplete-input:not([aria-labelledby])')
      .forEach((input) => {
        const label = input.closest('.w-field__wrapper')?.querySelector('.w-field__label');
        if (label) input.setAttribute('aria-labelledby', labelId(label));
      });
    document
      .querySelectorAll('.replace-file-input input[type=file]:not([aria-label])')
      .forEach((input) => {
        const button = input.parentElement.querySelector('button');
        if (button) input.setAttribute('aria-label', button.textContent.trim());
      });
    document.querySelectorAll('.w-minimap__list:not([tabindex])').forEach((list) => {
      list.setAttribute('tabindex', '0');
    });
    document.querySelectorAll('a[role=tab]').forEach((link) => {
      if (!link.closest('[role=tablist]')) link.removeAttribute('role');
    });
  };

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      name();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  name();
  document.addEventListener('DOMContentLoaded', name);
})();
