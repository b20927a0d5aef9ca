'use strict';
// The admin's autocomplete (select2) shows the chosen value in a span with role="textbox"
// that has no name while nothing is chosen, and names its combobox after that span: a
// screen reader announces an unnamed field. Name the span after the field's <label> (or
// the aria-label an inline row gives its select); select2 never changes aria-label.
{
    const labelOf = (select) => {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        const text = label ? label.textContent : select.getAttribute('aria-label') || '';
        return text.replace(/:\s*$/, '').trim();
    };
    const nameBoxes = () => {
        document.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const box = select.id && document.getElementById(`select2-${select.id}-container`);
            if (box && !box.hasAttribute('aria-label')) {
                const name = labelOf(select);
                if (name) {
                    box.setAttribute('aria-label', name);
                }
            }
        });
    };
    new MutationObserver(nameBoxes).observe(document.documentElement, {childList: true, subtree: true});
}
