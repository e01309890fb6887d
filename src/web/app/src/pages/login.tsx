/** The login page: user name and password, exchanged for a token (GET /tokens with Basic). */
import { useState, type FormEvent } from 'react';
import { login } from '../api.js';
import { ErrorBox } from '../components/common.js';
import { useAction } from '../hooks.js';

export function LoginPage(props: { notice?: string; onLoggedIn: () => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await login(username, password);
      props.onLoggedIn();
    });
  };
  return (
    <main className="login" id="main">
      <h1>Rekindle manager</h1>
      <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h2 id="login-title">Log in</h2>
        {props.notice ? <p role="status" className="notice">{props.notice}</p> : null}
        <label htmlFor="login-username">User name</label>
        <input id="login-username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <ErrorBox error={error} title="Login failed" />
      </form>
    </main>
  );
}
