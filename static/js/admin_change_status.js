// The admin's change-status page: the certificate's number and dates are asked only for a
// move to Certified, so they are hidden while another status is chosen. Without JavaScript
// they stay in sight, headed "only for a move to Certified".
document.addEventListener("DOMContentLoaded", () => {
  const fields = document.getElementById("certificate-fields");
  const choices = document.querySelectorAll('input[name="to_status"]');
  if (!fields || !choices.length) return;
  const showWhenCertified = () => {
    const chosen = document.querySelector('input[name="to_status"]:checked');
    fields.hidden = !chosen || chosen.value !== "certified";
  };
  for (const choice of choices) choice.addEventListener("change", showWhenCertified);
  showWhenCertified();
});
