/** A plain form post: works without JavaScript, and /sign-out checks the Origin. */
export function SignOutButton({ label = 'Sign out' }: { label?: string }) {
  return (
    <form method="post" action="/sign-out">
      <button type="submit">{label}</button>
    </form>
  );
}
