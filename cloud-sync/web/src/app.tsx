/** The shell: header, the page for the route, sign-in when needed. The sensor page (and uPlot) load on demand. */
import { ForgotPasswordPage, ResetPasswordPage } from './pages/password-pages.js';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ApiFailure } from './api/api-failure.js';
import { Header } from './components/header.js';
import { EmptyState, Link, Loading } from './components/ui.js';
import { useHouseState } from './components/use-house-state.js';
import { useLazy } from './components/use-lazy.js';
import { useApp, usePageName } from './context.js';
import { RegisterPage, SignInPage } from './pages/auth-pages.js';
import { EventsPage } from './pages/events.js';
import { GatewaysPage } from './pages/gateways.js';
import { HomePage } from './pages/home.js';
import { NotificationsPage } from './pages/notifications.js';
import { NotificationSettingsPage } from './pages/notification-settings.js';
import { VerifyEmailPage } from './pages/verify-email.js';
import { ProfilePage } from './pages/profile.js';
import { OrderRefillPage } from './pages/order-refill.js';
import { OrderPage } from './pages/order.js';
import { OrdersPage } from './pages/orders.js';
import { RulesPage } from './pages/rules.js';
import { TankDetailPage } from './pages/tank-detail.js';
import { TanksPage } from './pages/tanks.js';
import { PUBLIC_PAGES, type Route } from './router.js';

export function App(props: { route: Route; favicon: string; endedBecause: ApiFailure | undefined }): JSX.Element {
  const app = useApp();
  const signedIn = app.session.hasSession;
  const route = props.route;
  useEffect(() => {
    if (!signedIn && !PUBLIC_PAGES.has(route.page)) {
      const here = location.pathname + location.search;
      app.navigate(here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    }
  }, [signedIn, route, app]);
  if (route.page === 'sign-in') return <SignInPage {...(route.next === undefined ? {} : { next: route.next })} {...(props.endedBecause === undefined ? {} : { reason: props.endedBecause })} />;
  if (route.page === 'register') return <RegisterPage />;
  if (route.page === 'forgot-password') return <ForgotPasswordPage />;
  if (route.page === 'reset-password') return <ResetPasswordPage token={route.token} />;
  if (route.page === 'verify-email') return <VerifyEmailPage token={route.token} />;
  if (!signedIn) return <Loading what="the sign-in page" />;
  return <SignedIn route={route} favicon={props.favicon} />;
}

function SignedIn(props: { route: Route; favicon: string }): JSX.Element {
  const house = useHouseState();
  return (
    <>
      <Header route={props.route} house={house} favicon={props.favicon} />
      <main id="main" tabIndex={-1}>
        <Page route={props.route} house={house} />
      </main>
    </>
  );
}

function Page(props: { route: Route; house: ReturnType<typeof useHouseState> }): JSX.Element {
  const r = props.route;
  switch (r.page) {
    case 'home':
      return <HomePage house={props.house} />;
    case 'sensor':
      return <LazySensorPage id={r.id} house={props.house} />;
    case 'events':
      return <EventsPage house={props.house} />;
    case 'rules':
      return <RulesPage />;
    case 'notifications':
      return <NotificationsPage {...(r.acknowledge === undefined ? {} : { acknowledge: r.acknowledge })} />;
    case 'notification-settings':
      return <NotificationSettingsPage />;
    case 'gateways':
      return <GatewaysPage />;
    case 'profile':
      return <ProfilePage />;
    case 'tanks':
      return <TanksPage />;
    case 'tank':
      return <TankDetailPage id={r.id} />;
    case 'tank-order':
      return <OrderRefillPage id={r.id} />;
    case 'orders':
      return <OrdersPage />;
    case 'order':
      return <OrderPage id={r.id} />;
    case 'sign-in':
    case 'register':
    case 'forgot-password':
    case 'reset-password':
    case 'verify-email':
    case 'not-found':
      return <NotFound />;
  }
}

type SensorPageProps = { id: string; house: ReturnType<typeof useHouseState> };

function LazySensorPage(props: SensorPageProps): JSX.Element {
  const page = useLazy<SensorPageProps>(() => import('./pages/sensor-detail.js').then((m) => m.SensorDetailPage));
  if (page.state === 'failed') {
    return (
      <EmptyState title="This page did not load" action={<button type="button" onClick={() => location.reload()}>Reload</button>}>
        The dashboard may have been updated meanwhile: reload the page.
      </EmptyState>
    );
  }
  return page.state === 'loading' ? <Loading what="the sensor" /> : <page.C {...props} />;
}

function NotFound(): JSX.Element {
  usePageName('Not found');
  return (
    <EmptyState title="No such page" action={<Link class="button primary" href="/">Go home</Link>}>
      The address does not match any page of the dashboard.
    </EmptyState>
  );
}
