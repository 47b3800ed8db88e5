/**
 * Readers' comments of the demo newsroom, by article slug: threads of approved comments and
 * replies, some awaiting moderation, some reported, one held for its links. Times are minutes
 * after the article's publication (each article's demo age leaves room for all of them).
 */
export interface DemoComment {
  /** A name for replies to point at. */
  key?: string;
  /** The `key` of the comment this one answers (of the same article, listed before it). */
  replyTo?: string;
  name: string;
  email: string;
  minutes: number;
  status: 'approved' | 'pending';
  /** Held by the links rule (pending, with the reason that rule gives). */
  heldForLinks?: true;
  /** Readers' reports: what they said and when (minutes after publication). */
  reports?: { reason: string; minutes: number }[];
  body: string;
}

export const DEMO_COMMENTS: Record<string, DemoComment[]> = {
  'transit-levy-heads-to-november-ballot': [
    {
      key: 'bus14',
      name: 'Marguerite Okafor',
      email: 'margo.okafor@example.net',
      minutes: 35,
      status: 'approved',
      body: 'I ride the 14 every morning and it has been standing room only since the spring cuts. If the levy brings back ten-minute service on the crosstown routes I will vote yes. What I would like to see is a clear list of which routes come back first.',
    },
    {
      key: 'pamphlet',
      replyTo: 'bus14',
      name: 'Dev Raman',
      email: 'dev.raman@example.com',
      minutes: 80,
      status: 'approved',
      body: 'The article says the first two years go mostly to frequency on existing routes. The full project list is supposed to come out with the voter pamphlet in September.',
    },
    {
      replyTo: 'pamphlet',
      name: 'Marguerite Okafor',
      email: 'margo.okafor@example.net',
      minutes: 130,
      status: 'approved',
      body: 'Thanks, I missed that. September is cutting it close for people who vote early by mail, though.',
    },
    {
      replyTo: 'bus14',
      name: 'Tom Whitcombe',
      email: 'twhitcombe@example.org',
      minutes: 2900,
      status: 'pending',
      body: 'Standing room only means people want the bus, not that we need a new tax. Fix the schedules first.',
    },
    {
      key: 'bill',
      name: 'Harold Benning',
      email: 'h.benning@example.com',
      minutes: 210,
      status: 'approved',
      body: 'Three tenths of a percent does not sound like much until you add it to everything else that went up this year. What happens to the money if ridership never comes back?',
    },
    {
      replyTo: 'bill',
      name: 'Lucia Ferraro',
      email: 'lucia.ferraro@example.net',
      minutes: 260,
      status: 'approved',
      body: 'Fair question. Under the measure the transit board has to publish ridership and spending every year, and the levy ends after twelve years unless voters renew it. That is more accountability than most of what is on our bills.',
    },
    {
      name: 'Gary Pulaski',
      email: 'gpulaski@example.com',
      minutes: 400,
      status: 'approved',
      reports: [
        { reason: 'Claims fraud without any evidence.', minutes: 460 },
        { reason: 'Misleading about how signatures are checked.', minutes: 700 },
      ],
      body: 'Sixty-one thousand signatures and half of them will turn out to be the same people signing twice. Watch the count.',
    },
    {
      name: 'Renata Sousa',
      email: 'renata.sousa@example.org',
      minutes: 2950,
      status: 'pending',
      heldForLinks: true,
      body: 'For anyone who wants to read the measure itself before deciding: the full text is at https://elections.example.gov/measures/2026/transit-levy, the fiscal analysis is at https://budget.example.gov/reports/transit-levy-analysis.pdf and the agency’s map of the frequent network is at https://transit.example.org/plan/frequent-network. Worth twenty minutes of anyone’s time.',
    },
  ],
  'port-approves-pier-9-expansion': [
    {
      key: 'jobs',
      name: 'Walt Gruber',
      email: 'walt.gruber@example.net',
      minutes: 45,
      status: 'approved',
      body: 'My father worked Pier 9 for thirty years. Good to see it busy again, but the article does not say how many of the 700 jobs are longshore positions and how many are contract work.',
    },
    {
      replyTo: 'jobs',
      name: 'Ines Castellano',
      email: 'ines.castellano@example.com',
      minutes: 120,
      status: 'approved',
      body: 'The board packet puts it at about 450 longshore jobs once the terminal runs at full capacity, the rest in trucking and maintenance. Page 14, if you want to check.',
    },
    {
      key: 'trucks',
      name: 'Priya Natarajan',
      email: 'priya.n@example.org',
      minutes: 150,
      status: 'approved',
      body: 'Those of us on Dock Street already breathe the trucks from Pier 7. Shore power at the berths is a start, but what is the plan for the extra truck trips?',
    },
    {
      key: 'rail',
      replyTo: 'trucks',
      name: 'Walt Gruber',
      email: 'walt.gruber@example.net',
      minutes: 190,
      status: 'approved',
      body: 'Agreed on the trucks. The rail spur they mention should take some of it off the road, if it actually gets built this time.',
    },
    {
      replyTo: 'rail',
      name: 'Sam Delacroix',
      email: 'sam.delacroix@example.com',
      minutes: 900,
      status: 'pending',
      body: 'That rail spur has been planned since 2011. I will believe it when I see track.',
    },
    {
      name: 'Kenji Moreau',
      email: 'kenji.moreau@example.net',
      minutes: 1010,
      status: 'pending',
      body: 'Does anyone know whether the comment period on the environmental review is still open? The port only lists the board meeting.',
    },
  ],
  'seagrass-returns-to-harbor-bay': [
    {
      key: 'boats',
      name: 'Annika Halvorsen',
      email: 'annika.h@example.org',
      minutes: 90,
      status: 'approved',
      body: 'I volunteered on one of the replanting boats in 2021. We planted shoots by hand in cold water for weeks and honestly nobody was sure it would work. This made my day.',
    },
    {
      key: 'kayak',
      replyTo: 'boats',
      name: 'Marcus Oyelaran',
      email: 'marcus.oyelaran@example.com',
      minutes: 140,
      status: 'approved',
      body: 'Thank you for doing that. I kayak off the north shore and at low tide you can see the meadows from the surface now.',
    },
    {
      replyTo: 'kayak',
      name: 'Annika Halvorsen',
      email: 'annika.h@example.org',
      minutes: 200,
      status: 'approved',
      body: 'That is wonderful to hear. The north shore plots were the ones we worried about most.',
    },
    {
      name: 'Douglas Fenn',
      email: 'dfenn@example.net',
      minutes: 300,
      status: 'approved',
      body: 'Great news, but 212 acres is still a fraction of what the bay had in the 1950s. No victory laps while the sewers still overflow into the bay every time it rains hard.',
    },
    {
      name: 'Brent Kowalczyk',
      email: 'brent.k@example.com',
      minutes: 600,
      status: 'approved',
      reports: [{ reason: 'Sneers at the researchers and adds nothing.', minutes: 700 }],
      body: 'Funny how the scientists always find good news right before the next grant round.',
    },
    {
      name: 'Lena Vasquez',
      email: 'lena.vasquez@example.org',
      minutes: 3400,
      status: 'pending',
      body: 'Is there a map of where the meadows are? I would like to take my kids snorkelling without trampling anything.',
    },
  ],
  'mariners-beat-rovers-in-derby': [
    {
      key: 'top',
      name: 'Callum Reid',
      email: 'callum.reid@example.net',
      minutes: 20,
      status: 'approved',
      body: 'Three points, top of the table and the Rovers fans quiet for once. Best Saturday in years.',
    },
    {
      key: 'soft',
      replyTo: 'top',
      name: 'Joe Santangelo',
      email: 'joe.santangelo@example.com',
      minutes: 50,
      status: 'approved',
      body: 'Enjoy it while it lasts. We were the better side for the first half hour and that penalty was soft.',
    },
    {
      key: 'foul',
      replyTo: 'soft',
      name: 'Callum Reid',
      email: 'callum.reid@example.net',
      minutes: 75,
      status: 'approved',
      body: 'Soft? He was through on goal. A foul all day long.',
    },
    {
      replyTo: 'foul',
      name: 'Joe Santangelo',
      email: 'joe.santangelo@example.com',
      minutes: 2700,
      status: 'pending',
      body: 'We will see in March at our place.',
    },
    {
      name: 'Farah Qureshi',
      email: 'farah.q@example.org',
      minutes: 240,
      status: 'approved',
      body: 'Credit to the young keeper: two saves in the last ten minutes that nobody will talk about because of the goals.',
    },
    {
      name: 'Darren Pike',
      email: 'dpike77@example.com',
      minutes: 300,
      status: 'approved',
      reports: [
        { reason: 'Threatens the referee.', minutes: 340 },
        { reason: 'This reads as a threat, please take it down.', minutes: 520 },
      ],
      body: 'That referee should never do a derby again. Somebody ought to pay him a visit and explain the offside rule in person.',
    },
  ],
  'opera-house-reopens-after-renovation': [
    {
      key: 'acoustics',
      name: 'Eleanor Whitfield',
      email: 'e.whitfield@example.net',
      minutes: 180,
      status: 'approved',
      body: 'We were there on opening night. The new acoustics are remarkable: you can hear the strings clearly from the upper balcony, which was never true before.',
    },
    {
      replyTo: 'acoustics',
      name: 'Rafael Lindqvist',
      email: 'rafael.lindqvist@example.com',
      minutes: 240,
      status: 'approved',
      body: 'Same from row W. Although the new seats are narrower than the old ones, or I am getting older.',
    },
    {
      name: 'Nadia Petrenko',
      email: 'nadia.petrenko@example.org',
      minutes: 500,
      status: 'approved',
      body: 'Glad it reopened, but after $96 million the cheapest tickets are still $65. The community nights mentioned at the end need to be more than twice a season.',
    },
    {
      name: 'Oliver Brandt',
      email: 'oliver.brandt@example.net',
      minutes: 4900,
      status: 'pending',
      body: 'Does anyone know if the lift to the upper balcony works now? The article mentions accessibility work but not whether it is finished.',
    },
  ],
  'inflation-slows-as-grocery-prices-fall': [
    {
      key: 'bill',
      name: 'Ruth Achterberg',
      email: 'ruth.achterberg@example.com',
      minutes: 60,
      status: 'approved',
      body: '2.6 percent on paper. My grocery bill is still a third higher than three years ago. Prices falling a little is not the same as prices coming back down.',
    },
    {
      key: 'level',
      replyTo: 'bill',
      name: 'Tomasz Wierzbicki',
      email: 'tomasz.w@example.org',
      minutes: 110,
      status: 'approved',
      body: 'That is the difference between the inflation rate and the price level, and it is a fair point. Slower inflation means prices rise more slowly, not that they go back to where they were.',
    },
    {
      replyTo: 'level',
      name: 'Ruth Achterberg',
      email: 'ruth.achterberg@example.com',
      minutes: 150,
      status: 'approved',
      body: 'Understood. Try explaining that at the checkout.',
    },
    {
      name: 'Bill Harrower',
      email: 'bill.harrower@example.net',
      minutes: 400,
      status: 'approved',
      body: 'Eggs are finally under four dollars at the market on Fifth. Small mercies.',
    },
    {
      name: 'Greta Lindahl',
      email: 'greta.lindahl@example.com',
      minutes: 9000,
      status: 'pending',
      body: 'It would help to see rents broken out separately. Housing is most of my budget and the article does not mention it.',
    },
  ],
};
